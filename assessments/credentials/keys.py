"""The Ed25519 signing keys of the credentials: a JWK Set file, never in the database or in git.

- `settings.CREDENTIAL_KEYS_FILE` names the file (production: a secret file mounted on every app
  server, mode 0600; development and tests: a git-ignored path created on first use when
  `settings.CREDENTIAL_KEYS_AUTOCREATE` is true).
- The file holds every key ever used, oldest first, each a private OKP JWK with its `kid` (the
  RFC 7638 thumbprint) and its creation date. The LAST key signs; the others are retired: they
  no longer sign but stay published (`public_jwks`), so credentials signed before a rotation keep
  verifying. Removing a key from the file (a compromised key) makes the credentials it signed
  unverifiable, which is what such a removal is for.
- `rotate` appends a new key and replaces the file atomically (write, fsync, rename); the
  servers notice the new file by its modification time (no restart).

No cryptography here: keys are generated, serialised and used by joserfc.
"""

import json
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import KeySet, OKPKey

ALG = "EdDSA"
CURVE = "Ed25519"

# RFC 9864 prefers the fully specified "Ed25519"; Open Badges 3.0 and the verifiers in use name
# the algorithm "EdDSA" (docs/decisions.md, issue 17). The same Ed25519 signature either way.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)


@dataclass(frozen=True)
class Keyring:
    keys: tuple[OKPKey, ...]  # oldest first; the last one signs

    @property
    def active(self) -> OKPKey:
        return self.keys[-1]

    def public_key_set(self) -> KeySet:
        return KeySet([OKPKey.import_key(key.as_dict(private=False)) for key in self.keys])

    def find(self, kid: str) -> OKPKey | None:
        return next((key for key in self.keys if key.kid == kid), None)


def keys_file() -> Path:
    return Path(settings.CREDENTIAL_KEYS_FILE)


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], Keyring]] = {}


def new_key() -> OKPKey:
    """A fresh Ed25519 key whose `kid` is its RFC 7638 thumbprint."""
    key = OKPKey.generate_key(CURVE, auto_kid=True)
    return OKPKey.import_key(
        {
            **key.as_dict(private=True),
            "alg": ALG,
            "use": "sig",
            "created": timezone.now().isoformat(timespec="seconds"),
        }
    )


def read(path: Path) -> Keyring:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = tuple(OKPKey.import_key(entry) for entry in data["keys"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, JoseError) as error:
        raise ImproperlyConfigured(
            f"Le trousseau des badges ({path}) est illisible : {error}."
        ) from error
    if not keys or any(
        not key.is_private or key.kid is None or key.curve_name != CURVE for key in keys
    ):
        raise ImproperlyConfigured(
            f"Le trousseau des badges ({path}) doit contenir des clés Ed25519 privées avec kid."
        )
    return Keyring(keys)


def _write(path: Path, keys) -> None:
    """Replace the file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    content = json.dumps({"keys": [key.as_dict(private=True) for key in keys]}, indent=2)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def keyring() -> Keyring:
    """The keyring, read again when the file changed (rotation on another server)."""
    path = keys_file()
    with _lock:
        try:
            stat = path.stat()
        except FileNotFoundError:
            if not settings.CREDENTIAL_KEYS_AUTOCREATE:
                raise ImproperlyConfigured(
                    f"Trousseau des badges introuvable ({path}) : créez-le avec "
                    "« manage.py rotate_credential_key » (docs/deployment.md)."
                ) from None
            _write(path, [new_key()])
            stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        cached = _cache.get(str(path))
        if cached and cached[0] == version:
            return cached[1]
        ring = read(path)
        _cache[str(path)] = (version, ring)
        return ring


def rotate() -> OKPKey:
    """Append a new signing key (the file is created when missing); return it."""
    path = keys_file()
    with _lock:
        existing = list(read(path).keys) if path.exists() else []
        key = new_key()
        _write(path, [*existing, key])
        _cache.pop(str(path), None)
    return key


def public_jwks() -> dict:
    """The JWK Set published at /.well-known/jwks.json: every key, public part only."""
    return {
        "keys": [{**key.as_dict(private=False), "alg": ALG, "use": "sig"} for key in keyring().keys]
    }
