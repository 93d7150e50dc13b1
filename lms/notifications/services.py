"""Writes of notifications. `notify` is the API other apps call.

    from lms.notifications.kinds import MILESTONE_SUBMITTED
    from lms.notifications.services import notify

    notify(trainer, MILESTONE_SUBMITTED, title="Camille Martin a soumis …", url="/revue/3/")

It records the in-app notification and, after the current transaction commits, enqueues the
e-mail task (django-tasks): nothing is sent inside a request, and a rolled-back action leaves
neither a notification nor an e-mail.
"""

from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms import cooldown

from .kinds import KINDS
from .models import AccountInvitation, Notification, NotificationPreferences
from .rules import email_route


def preferences_for(user) -> NotificationPreferences:
    """The person's preferences; the defaults (unsaved) when they never chose."""
    try:
        return NotificationPreferences.objects.get(user=user)
    except NotificationPreferences.DoesNotExist:
        return NotificationPreferences(user=user)


def notify(recipient, kind: str, *, title: str, url: str = "", body: str = "") -> Notification:
    """Tell `recipient` that something happened: `title` is one French sentence without a final
    full stop ("Votre jalon « Identifier » est accepté"), `url` a path on this site where to act
    or read more, `body` optional detail (plain text, a few lines)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"A notification links to a path of this site, not {url!r}")
    route = email_route(recipient, preferences_for(recipient), kind)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=" ".join(title.split())[:255],
        body=body.strip(),
        url=url[:500],
        email=route,
    )
    if route == Notification.Email.PENDING:
        from .tasks import send_notification_email

        transaction.on_commit(
            partial(send_notification_email.enqueue, notification.pk), robust=True
        )
    return notification


def after_commit(task, *args) -> None:
    """Enqueue `task(*args)` (a django-tasks task) once the current transaction commits, at once
    outside a transaction. How feature apps hook their notifications to a service: the event's
    recipients and texts are worked out by the worker, never inside the request. A failure to
    enqueue is logged (robust callback), never raised into the action that committed."""
    transaction.on_commit(partial(task.enqueue, *args), robust=True)


def mark_read(user, notification_id: int) -> bool:
    """Mark one of `user`'s notifications read; False when it is not theirs (or unknown)."""
    found = Notification.objects.filter(recipient=user, pk=notification_id)
    if not found.exists():
        return False
    found.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def save_preferences(
    user, *, email_kinds: set[str], daily_digest: bool, shown: set[str] | None = None
) -> None:
    """`email_kinds`: the kinds the person wants e-mailed among `shown` (the kinds their page
    listed; every known kind when None). The others of `shown` are turned off; kinds not shown
    keep their previous choice."""
    shown = set(KINDS) if shown is None else shown & set(KINDS)
    previous = set(preferences_for(user).email_off or [])
    email_off = (previous - shown) | {code for code in shown if code not in email_kinds}
    NotificationPreferences.objects.update_or_create(
        user=user,
        defaults={"email_off": sorted(email_off), "daily_digest": daily_digest},
    )


def claim_for_email(notification_id: int) -> Notification | None:
    """Take a pending notification for its e-mail, once (two workers never send it twice).
    None when it is no longer pending, or was read in the meantime (no e-mail needed)."""
    now = timezone.now()
    pending = Notification.objects.filter(pk=notification_id, email=Notification.Email.PENDING)
    if pending.filter(read_at__isnull=False).update(email=Notification.Email.NONE):
        return None
    if not pending.update(email=Notification.Email.SENT, emailed_at=now):
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def release(notification_ids: list[int], state: str) -> None:
    """Put notifications back in `state` after their e-mail failed (the task is retried by
    running the digest or re-enqueueing; the failure is recorded by the task backend)."""
    Notification.objects.filter(pk__in=notification_ids).update(email=state, emailed_at=None)


def claim_digests() -> dict:
    """Every notification waiting for the daily digest, grouped by recipient and claimed (state
    "sent"): {recipient: [notifications, oldest first]}. Read ones need no e-mail."""
    now = timezone.now()
    waiting = Notification.objects.filter(email=Notification.Email.DIGEST)
    waiting.filter(read_at__isnull=False).update(email=Notification.Email.NONE)
    groups: dict = {}
    with transaction.atomic():
        rows = list(
            waiting.select_for_update()
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        Notification.objects.filter(
            pk__in=[row.pk for row in rows], email=Notification.Email.DIGEST
        ).update(email=Notification.Email.SENT, emailed_at=now)
    for row in rows:
        groups.setdefault(row.recipient, []).append(row)
    return groups


@dataclass
class Invitations:
    """What `invite` did: the people whose welcome e-mail is queued, and those left out because
    one was sent (or queued) less than `WELCOME_EMAIL_COOLDOWN_MINUTES` ago, with the seconds
    left before it may be sent again."""

    queued: list = field(default_factory=list)
    waiting: list[tuple[object, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.queued)


def welcome_cooldown_seconds() -> int:
    return max(0, settings.WELCOME_EMAIL_COOLDOWN_MINUTES) * 60


def invite(users, *, sent_by=None, session_name: str = "") -> Invitations:
    """Send the welcome e-mail (link to choose a password) to each of `users` who has not
    activated their account yet, after the current transaction commits — at most once per
    person per cooldown, whoever presses the button and on whichever app server: the last
    sending recorded in the database (`AccountInvitation.sent_at`) and a claim in the shared
    cache (closing the gap until the worker sends it) must both be older (one query)."""
    from .tasks import send_welcome_emails
    from .welcome import is_activated

    seconds = welcome_cooldown_seconds()
    now = timezone.now()
    candidates = [user for user in users if user.is_active and not is_activated(user)]
    last_sent = (
        dict(
            AccountInvitation.objects.filter(
                user_id__in=[user.pk for user in candidates]
            ).values_list("user_id", "sent_at")
        )
        if candidates and seconds
        else {}
    )
    result = Invitations()
    for user in candidates:
        left = cooldown.remaining_after(last_sent.get(user.pk), now, seconds) or cooldown.claim(
            "welcome-email", f"{user.pk}:{user.email.lower()}", seconds
        )
        if left:
            result.waiting.append((user, left))
        else:
            result.queued.append(user)
    if result.queued:
        after_commit(
            send_welcome_emails,
            [user.pk for user in result.queued],
            sent_by.pk if sent_by is not None else None,
            session_name,
        )
    return result


def record_invitation(user, sent_by_id: int | None) -> None:
    now = timezone.now()
    updated = AccountInvitation.objects.filter(user=user).update(
        sent_at=now, sent_count=F("sent_count") + 1, sent_by_id=sent_by_id
    )
    if not updated:
        AccountInvitation.objects.create(
            user=user, sent_at=now, sent_count=1, sent_by_id=sent_by_id
        )
