"""`manage.py expire_attempts`: submit the attempts whose time is up (run it from cron)."""

from django.core.management.base import BaseCommand

from assessments.services import attempt_expire_overdue


class Command(BaseCommand):
    help = "Envoie les tentatives dont le temps est écoulé, avec les réponses enregistrées."

    def handle(self, *args, **options):
        count = attempt_expire_overdue()
        self.stdout.write(f"{count} tentative(s) envoyée(s) à la fin du temps.")
