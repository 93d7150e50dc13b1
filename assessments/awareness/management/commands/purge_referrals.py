"""`manage.py purge_referrals`: delete the referrals past their retention period
(AWARENESS_REFERRAL_RETENTION_DAYS). Run it daily (cron, systemd timer, or the scheduler of the
platform); the national counts are kept apart and do not change."""

from django.core.management.base import BaseCommand

from ...services import referral_purge


class Command(BaseCommand):
    help = "Supprime les orientations de ménages dont la durée de conservation est dépassée."

    def handle(self, *args, **options):
        deleted = referral_purge()
        self.stdout.write(f"Orientations supprimées : {deleted}")
