"""System check of the signing keyring: `manage.py check --deploy` refuses a bad one, and
`lms/wsgi.py` logs the checks tagged "startup" when the server starts. Messages in French,
like the keyring's own errors: they are for the operators who provision `CREDENTIAL_KEYS_FILE`
(docs/deployment.md, "Open Badges signing keys")."""

import os
import stat

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import keys

HINT = (
    "Créez le trousseau avec « manage.py rotate_credential_key » (docs/deployment.md, "
    "« Open Badges signing keys »)."
)


def keyring_problems() -> list[checks.CheckMessage]:
    """What is wrong with the keyring file: missing (when it is not created on the fly),
    unreadable, not a JWK Set of private Ed25519 keys (`keys.read`), or readable by anybody
    on the machine."""
    path = keys.keys_file()
    if not path.exists():
        if settings.CREDENTIAL_KEYS_AUTOCREATE:
            return []  # development and tests: created at the first signature
        return [
            checks.Error(
                f"Trousseau des badges introuvable : {path} (CREDENTIAL_KEYS_FILE).",
                hint=HINT,
                id="credentials.E001",
            )
        ]
    if not path.is_file() or not os.access(path, os.R_OK):
        return [
            checks.Error(
                f"Trousseau des badges illisible : {path} n'est pas un fichier lisible par ce "
                "processus.",
                hint="Donnez la lecture au seul utilisateur du serveur (chmod 600, chown).",
                id="credentials.E002",
            )
        ]
    problems = []
    try:
        keys.read(path)
    except ImproperlyConfigured as error:
        problems.append(checks.Error(str(error), hint=HINT, id="credentials.E003"))
    if path.stat().st_mode & (stat.S_IROTH | stat.S_IWOTH):
        problems.append(
            checks.Error(
                f"Trousseau des badges ({path}) lisible ou modifiable par tous les utilisateurs "
                "de la machine : ses clés privées signent les badges.",
                hint=f"chmod 600 {path}",
                id="credentials.E005",
            )
        )
    return problems


# "startup": also run (and logged) when the WSGI application starts, lms/wsgi.py.
@checks.register(checks.Tags.security, "startup", deploy=True)
def check_keyring(app_configs=None, **kwargs):
    return keyring_problems()
