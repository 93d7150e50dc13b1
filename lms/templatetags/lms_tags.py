from django import template

from lms.markdown import render_markdown
from lms.roles import is_coordinator, is_trainee, is_trainer

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    """`{{ text|markdown }}`: sanitized HTML from trainer/trainee Markdown."""
    return render_markdown(value)


@register.filter
def euros(value):
    """Format an amount as French euros: 12 475,50 €."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    text = f"{number:,.2f}".replace(",", "\u202f").replace(".", ",")
    if text.endswith(",00"):
        text = text[:-3]
    return f"{text}\u00a0€"


@register.filter
def thousands(value):
    """Group the digits of a whole number the French way: 11 500 (narrow no-break space)."""
    if value is None or value == "":
        return value
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"{number:,}".replace(",", "\u202f")


@register.simple_tag(takes_context=True)
def role_flags(context):
    user = context.get("user")
    return {
        "trainee": is_trainee(user),
        "trainer": is_trainer(user),
        "coordinator": is_coordinator(user),
    }
