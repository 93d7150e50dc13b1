"""A GET writes nothing on a reload (session 5 QA): every main page of every role, on the demo
site with work in every state, is requested twice with GET while the database's statements are
recorded. A page that wrote on each visit would take a write lock on every reload (SQLite
serialises writers) and change data on a prefetch or a crawler's visit.

The first visit may write only what is listed in FIRST_VISIT_WRITES, each a known lazy
creation: Wagtail's settings rows created with their defaults the first time they are read,
Wagtail's user profile created the first time a staff member's page reads it, and the
competency results that Mon parcours and the session follow-up compute from the evidence when
none is stored yet (docs/decisions.md, "Session 5 — QA")."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from lms.models import User
from tests.role_pages import DEMO, main_pages, seed_site_with_work

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
TABLE = re.compile(
    r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM|REPLACE INTO)\s+"?(\w+)"?', re.IGNORECASE
)
FIRST_VISIT_WRITES = {
    "lms_sitesettings",
    "assessments_nationaltargetsettings",
    "wagtailusers_userprofile",
    "assessments_competencyresult",
}


def _writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code < 500, url
    return [query["sql"] for query in queries.captured_queries if WRITE.match(query["sql"])]


def test_no_main_page_of_any_role_writes_on_a_reload(client):
    work = seed_site_with_work()
    pages = main_pages(work)
    found = {}
    for role, urls in pages.items():
        client.logout()
        if role != "visitor":
            client.force_login(User.objects.get(email=DEMO[role][0]))
        for url in urls:
            first = {TABLE.match(sql).group(1) for sql in _writes(client, url)}
            if first - FIRST_VISIT_WRITES:
                found[f"{role} {url} (first)"] = first
            reload = _writes(client, url)
            if reload:
                found[f"{role} {url} (reload)"] = [sql[:160] for sql in reload]
    assert found == {}
