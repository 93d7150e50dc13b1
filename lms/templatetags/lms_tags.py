from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from lms.formats import (
    format_euros,
    format_hours,
    format_moment,
    format_number,
    format_percent,
)
from lms.markdown import render_markdown
from lms.roles import is_coordinator, is_trainee, is_trainer, may_access_admin
from lms.wording import de, plural

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    """`{{ text|markdown }}`: sanitized HTML from trainer/trainee Markdown."""
    return render_markdown(value)


@register.filter
def euros(value):
    """`{{ amount|euros }}`: French euros, 12 475,50 € (lms.formats, like PDFs and exports)."""
    return format_euros(value)


@register.filter
def thousands(value):
    """`{{ count|thousands }}`: 11 500, digits grouped with a narrow no-break space."""
    if value is None or value == "":
        return value
    return format_number(value, 0)


@register.filter
def number(value, places=None):
    """`{{ value|number }}` or `{{ value|number:1 }}`: 12 475,5 (decimals rounded half up)."""
    return format_number(value, None if places in (None, "") else int(places))


@register.filter
def percent(value, places=2):
    """`{{ value|percent }}`: 26,28 % (the value is already a percentage)."""
    return format_percent(value, int(places))


@register.filter
def hours(value):
    """`{{ hours|hours }}`: 3 h 30."""
    return format_hours(value)


@register.simple_tag(takes_context=True)
def role_flags(context):
    user = context.get("user")
    return {
        "trainee": is_trainee(user),
        "trainer": is_trainer(user),
        "coordinator": is_coordinator(user),
    }


@register.filter(name="de", needs_autoescape=True)
def de_filter(name, autoescape=True):
    """`{{ trainee.get_full_name|de }}`: "de Camille Martin", "d'Inès Abadie" (lms.wording).
    The name is escaped, the apostrophe is left as typed."""
    text = de(str(name or ""))
    if not autoescape:
        return text
    prefix, rest = ("d'", text[2:]) if text.startswith("d'") else ("de ", text[3:])
    return mark_safe(prefix + conditional_escape(rest))  # noqa: S308 - the name is escaped


@register.filter(name="pluriel")
def pluriel(count, suffixes="s"):
    """`{{ n }} jalon{{ n|pluriel }}`: French plural (0 and 1 singular); `|pluriel:"al,aux"`."""
    return plural(count, suffixes)


@register.filter(name="le_a")
def le_a(moment):
    """`Soumis le {{ s.submitted_at|le_a }}`: "1er mars 2026 à 9 h 04" (lms.formats)."""
    return format_moment(moment)


@register.simple_tag(takes_context=True)
def userbar(context):
    """Wagtail's userbar (`{% wagtailuserbar %}`) for the people who may use the admin, and
    nothing, without a query, for the others: Wagtail asks `user.has_perm` on every page, two
    permission queries for each trainee's page; `may_access_admin` gives the same answer from
    the roles query the navigation makes anyway."""
    request = context.get("request")
    if not may_access_admin(getattr(request, "user", None)):
        return ""
    return wagtailuserbar(context)
