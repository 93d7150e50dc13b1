from django.core.management.base import BaseCommand

from lms.notifications.tasks import send_daily_digests


class Command(BaseCommand):
    help = (
        "Envoie le résumé quotidien des notifications non lues aux personnes qui l'ont choisi "
        "(à lancer une fois par jour, par cron : `manage.py send_notification_digest`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Mettre l'envoi dans la file des tâches (db_worker) au lieu de l'exécuter ici.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_daily_digests.enqueue()
            self.stdout.write(f"Résumé quotidien mis en file (tâche {result.id}).")
            return
        sent = send_daily_digests.call()
        self.stdout.write(f"Résumés quotidiens envoyés : {sent}.")
