"""`manage.py seed_demo`: the site, its content and demo accounts. Re-running changes nothing.

Each app's `seed(stdout)` contributes, in dependency order. This command is, with lms/urls.py,
the one place where the shared app names the feature apps (ARCHITECTURE.md, "Layout"; the
import-linter contract in pyproject.toml lists these imports as the allowed exceptions).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Crée le site, le contenu de démonstration et un compte par rôle (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError(
                "seed_demo refuse de s'exécuter avec les réglages de production : "
                "les comptes de démonstration ont des mots de passe publics."
            )
        import assessments.seed
        import casestudies.seed
        import lms.seed
        import modules.seed

        for app, module in (
            ("lms", lms.seed),
            ("modules", modules.seed),
            ("casestudies", casestudies.seed),
            ("assessments", assessments.seed),
        ):
            self.stdout.write(f"Contenu de démonstration : {app}")
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
