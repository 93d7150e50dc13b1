"""Background tasks (django-tasks) of the awareness app."""

from django_tasks import task

from . import emails, services


@task()
def purge_expired_referrals() -> int:
    """Delete the referrals past their retention period (also `manage.py purge_referrals`)."""
    return services.referral_purge()


@task()
def send_signup_confirmation(signup_id: int) -> bool:
    """The e-mail with the link that creates a light account (nothing if the request is gone)."""
    from .models import SignupRequest

    signup = SignupRequest.objects.filter(pk=signup_id).first()
    if signup is None:
        return False
    emails.send_signup_confirmation(signup, token=services.signup_token(signup))
    return True


@task()
def send_existing_account_notice(user_id: int) -> bool:
    """Someone asked for a light account with the address of an existing account: tell its
    owner, with the links to log in or choose a new password (an inactive account gets none)."""
    from lms.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    emails.send_existing_account_notice(user)
    return True
