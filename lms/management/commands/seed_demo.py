"""`manage.py seed_demo`: the site, its content and demo accounts. Re-running changes nothing.

Each app that has a `seed` module with a `seed(stdout)` function contributes, in dependency
order, so `lms` does not import the feature apps.
"""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SEED_APPS = ["lms", "modules", "casestudies", "assessments"]


class Command(BaseCommand):
    help = "Crée le site, le contenu de démonstration et un compte par rôle (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError(
                "seed_demo refuse de s'exécuter avec les réglages de production : "
                "les comptes de démonstration ont des mots de passe publics."
            )
        for app in SEED_APPS:
            module_name = f"{app}.seed"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            self.stdout.write(f"Contenu de démonstration : {app}")
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
