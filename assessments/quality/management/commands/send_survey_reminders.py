from django.core.management.base import BaseCommand

from assessments.quality.tasks import send_survey_reminders


class Command(BaseCommand):
    help = (
        "Invite les stagiaires aux questionnaires de satisfaction ouverts aujourd'hui et relance "
        "ceux qui n'ont pas répondu (à lancer une fois par jour, par cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Mettre l'envoi dans la file des tâches (db_worker) au lieu de l'exécuter ici.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_survey_reminders.enqueue()
            self.stdout.write(f"Relances des questionnaires mises en file (tâche {result.id}).")
            return
        sent = send_survey_reminders.call()
        self.stdout.write(f"Messages sur les questionnaires envoyés : {sent}.")
