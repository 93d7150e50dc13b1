"""Add a new signing key to the credentials' keyring (docs/deployment.md, "Badges")."""

from django.core.management.base import BaseCommand

from ... import keys, services


class Command(BaseCommand):
    help = (
        "Ajoute une nouvelle clé Ed25519 au trousseau des badges (CREDENTIAL_KEYS_FILE) et en "
        "fait la clé de signature ; les anciennes restent publiées (JWKS) pour que les badges "
        "déjà émis restent vérifiables. Crée le trousseau s'il n'existe pas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Affiche les clés du trousseau sans rien changer."
        )

    def handle(self, *args, list=False, **options):  # noqa: A002 - the option's name
        if not list:
            key = keys.rotate()
            # The status list is signed again with the new key at its next read.
            services.forget_status_list()
            self.stdout.write(f"Nouvelle clé de signature : {key.kid}")
        ring = keys.keyring()
        for key in ring.keys:
            role = "signe" if key is ring.active else "retirée (vérifie seulement)"
            created = key.as_dict(private=False).get("created", "?")
            self.stdout.write(f"{key.kid}  créée le {created}  {role}")
        self.stdout.write(f"Trousseau : {keys.keys_file()}")
