"""Background tasks (django-tasks) of the awareness app."""

from django_tasks import task

from . import services


@task()
def purge_expired_referrals() -> int:
    """Delete the referrals past their retention period (also `manage.py purge_referrals`)."""
    return services.referral_purge()
