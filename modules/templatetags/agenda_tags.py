from django import template
from django.urls import reverse

from lms.links import absolute_url, webcal_url

from ..selectors import trainee_ical_token

register = template.Library()


@register.inclusion_tag("modules/includes/agenda_subscribe.html", takes_context=True)
def agenda_subscription(context, token=None):
    """The "S'abonner à mon agenda" box: the trainee's private feed as a webcal:// link and a
    copyable https address, with a way to renew it. Nothing for someone without an active
    enrolment. `token`: one of the person's feed tokens when the page has it (no query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if token is None and user is not None and user.is_authenticated:
        token = trainee_ical_token(user)
    if token is None:
        return {"feed_url": None}
    feed_url = absolute_url(reverse("modules:trainee_ical", args=[token]))
    return {
        "feed_url": feed_url,
        "webcal": webcal_url(feed_url),
        "next": request.path,
        "csrf_token": context.get("csrf_token"),
    }
