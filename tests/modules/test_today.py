"""The trainee's "Aujourd'hui" space: the day, the sign button, progress, extension points."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from lms import shared
from modules import today as today_module
from modules.models import Enrolment
from modules.services.attendance import attendance_countersign, attendance_sign
from modules.services.sessions import session_generate_slots

from .attendance_support import (
    TODAY,
    attach_modules,
    enrol,
    enrol_group,
    freeze,
    make_module,
    make_programme,
    make_session,
    paris,
    slot,
)

pytestmark = pytest.mark.django_db
URL = "/aujourdhui/"


@pytest.fixture
def modules(home_page):
    programme = make_programme(home_page)
    return {number: make_module(programme, number) for number in (3, 4, 5)}


@pytest.fixture
def session(trainer, modules):
    session = make_session(trainers=[trainer])
    attach_modules(
        session,
        {
            (7, "am"): [modules[3]],
            (7, "pm"): [modules[4]],
            (8, "am"): [modules[4], modules[5]],
        },
    )
    return session


def test_a_trainee_lands_on_aujourdhui_after_login(client_as, trainee):
    response = client_as(trainee).get(reverse("my_space"))
    assert response.status_code == 302
    assert response["Location"] == URL


def test_a_trainer_lands_on_their_sessions_after_login(client_as, trainer):
    response = client_as(trainer).get(reverse("my_space"))
    assert response["Location"] == "/formateur/sessions/"


def test_the_navigation_shows_aujourdhui_to_trainees_only(client_as, trainee, trainer):
    html = client_as(trainee).get(URL).content.decode()
    assert 'href="/aujourdhui/"' in html
    assert 'href="/formateur/sessions/"' not in html
    html = client_as(trainer).get("/formateur/sessions/").content.decode()
    assert 'href="/formateur/sessions/"' in html
    assert 'href="/aujourdhui/"' not in html


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_aujourdhui_shows_the_week_and_day_the_module_and_the_sign_button(
    client_as, monkeypatch, session, trainee, modules
):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 8, 50))
    html = client_as(trainee).get(URL).content.decode()
    assert "Semaine 2 · Jour 7" in html
    assert "Mardi 10 mars 2026" in html
    assert f'href="{modules[3].url}"' in html
    assert "Ouvrir le module 3" in html
    assert html.count(">Signer ma présence</button>") == 1
    # The afternoon is announced, not signable yet.
    assert "L'émargement ouvre à 13 h 00." in html


def test_signing_shows_the_signed_time(client_as, monkeypatch, session, trainee):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    client = client_as(trainee)
    response = client.post(f"/emargement/{slot(session, 7, 'am').pk}/signer/", follow=True)
    html = response.content.decode()
    assert "Présence signée à 9 h 04" in html
    assert "Signer ma présence</button>" not in html


def test_in_the_afternoon_the_current_half_is_the_afternoon(
    client_as, monkeypatch, session, trainee
):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 13, 40))
    html = client_as(trainee).get(URL).content.decode()
    # Both are open; the afternoon is the main button, the forgotten morning a secondary one.
    assert ">Signer ma présence</button>" in html
    assert ">Signer ma présence (matin)</button>" in html
    current = re.search(r'half-day-current" aria-labelledby="half-(\d+)"', html)
    assert int(current.group(1)) == slot(session, 7, "pm").pk


def test_the_days_to_come_list_their_modules(client_as, monkeypatch, session, trainee, modules):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9))
    html = client_as(trainee).get(URL).content.decode()
    assert "Les jours à venir" in html
    assert "<strong>Jour 8</strong> · mercredi 11 mars 2026" in html
    assert "<strong>Jour 15</strong>" in html
    assert "<strong>Jour 6</strong>" not in html
    assert f'href="{modules[5].url}">module 5' in html


def test_progress_shows_days_done_out_of_fifteen_accessibly(
    client_as, monkeypatch, session, trainee
):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9))
    html = client_as(trainee).get(URL).content.decode()
    assert '<progress id="days-progress" class="today-progress" max="15" value="6">' in html
    assert '<label for="days-progress">Jours de formation passés : 6 sur 15</label>' in html


def test_an_upcoming_session_says_when_it_starts(client_as, monkeypatch, session, trainee):
    enrol(session, trainee)
    freeze(monkeypatch, paris(session.week1_start.replace(day=1), 10))
    html = client_as(trainee).get(URL).content.decode()
    assert "commence le lundi 2 mars 2026" in html
    assert "Signer ma présence" not in html


def test_without_session_a_friendly_empty_state(client_as, trainee):
    html = client_as(trainee).get(URL).content.decode()
    assert "Vous n'êtes inscrit·e à aucune session en cours ou à venir." in html


def test_a_dropped_trainee_sees_no_sign_button(client_as, monkeypatch, session, trainee):
    enrol(session, trainee, status=Enrolment.Status.DROPPED)
    freeze(monkeypatch, paris(TODAY, 9))
    html = client_as(trainee).get(URL).content.decode()
    assert "Signer ma présence" not in html


def test_due_items_and_competency_progress_come_from_registered_providers(
    client_as, monkeypatch, session, trainee
):
    enrolment = enrol(session, trainee)
    seen = {}

    def due(user, enrolment_arg, today):
        seen["due"] = (user, enrolment_arg, today)
        item = {"label": "Dossier : jalon Identifier", "url": "/dossiers/1/", "due_label": "jeudi"}
        late = {
            "label": "Quiz de la semaine 1", "url": "/quiz/", "due_label": "lundi",
            "due_date": today - datetime.timedelta(days=2),
        }  # fmt: skip
        soon = {
            "label": "Quiz de la semaine 2", "url": "/quiz-2/", "due_label": "vendredi",
            "due_date": today + datetime.timedelta(days=2),
        }  # fmt: skip
        return [item, soon, late]

    def competencies(user, enrolment_arg):
        return {"C2": 45}

    def broken(user, enrolment_arg, today):
        raise RuntimeError("add-on down")

    today_module.register_due_provider(due)
    today_module.register_due_provider(broken)
    today_module.register_competency_progress_provider(competencies)
    try:
        freeze(monkeypatch, paris(TODAY, 9))
        html = client_as(trainee).get(URL).content.decode()
    finally:
        today_module.unregister_providers(due, broken, competencies)
    assert seen["due"] == (trainee, enrolment, TODAY)
    assert '<a href="/dossiers/1/">Dossier : jalon Identifier</a>' in html
    # Overdue first, then what is due next, then what has no date.
    late, soon, undated = (html.index(t) for t in ("Quiz de la semaine 1", "semaine 2", "jalon"))
    assert late < soon < undated
    assert "En retard · attendu lundi" in html
    assert "Prochaine échéance · vendredi" in html
    assert 'id="competency-C2" max="100" value="45"' in html
    assert 'id="competency-C1" max="100" value="0"' in html


def test_without_providers_competencies_show_zero_and_nothing_is_due(
    client_as, monkeypatch, session, trainee
):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9))
    html = client_as(trainee).get(URL).content.decode()
    assert "À faire" not in html
    assert 'id="competency-C5" max="100" value="0"' in html


def test_my_attendance_lists_signatures_and_hours(
    client_as, monkeypatch, session, trainee, trainer
):
    enrolment = enrol(session, trainee)
    morning = slot(session, 7, "am")
    attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 4))
    attendance_countersign(trainer=trainer, slot=morning, statuses={}, now=paris(TODAY, 9, 45))
    freeze(monkeypatch, paris(TODAY, 12))
    html = client_as(trainee).get("/mon-emargement/").content.decode()
    assert "heures de présence : <strong>3 h 30</strong> sur 105 h" in html
    assert "<td>9 h 04</td>" in html


def _aujourdhui_queries(client, *, shared_built: bool = True) -> int:
    """Queries of one "Aujourd'hui", once what every trainee shares (the session's half-days,
    assessments, deadlines, competencies: lms.shared) is built, or before (`shared_built=False`)."""
    # Warm the per-process caches (site root paths, content types); the first request also
    # creates the site settings row, which moves the site's generation.
    client.get(URL)
    client.get(URL)
    if not shared_built:
        shared.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert "Semaine 2 · Jour 7" in response.content.decode()
    return len(queries)


def test_aujourdhui_query_count_is_constant_in_trainees_and_sessions(
    client_as, monkeypatch, session, trainee, modules
):
    freeze(monkeypatch, paris(TODAY, 9, 10))
    enrolment = enrol(session, trainee)
    client = client_as(trainee)
    attendance_sign(enrolment=enrolment, slot=slot(session, 7, "am"), now=paris(TODAY, 9, 4))
    enrol_group(session, 10)
    small = _aujourdhui_queries(client)
    small_cold = _aujourdhui_queries(client, shared_built=False)

    enrol_group(session, 30)
    # Three more sessions of the same trainee: two past, one to come.
    for week1 in ("2026-01-05", "2026-01-26", "2026-06-01"):
        enrol(make_session(week1=datetime.date.fromisoformat(week1)), trainee)
    large = _aujourdhui_queries(client)
    assert small == large
    assert _aujourdhui_queries(client, shared_built=False) == small_cold
    # Session, user, enrolments, attendance, dossier milestones, competency results, roles
    # (with the admin access the userbar asks for), unread notifications: nothing the session
    # shares.
    assert large <= 8
    assert small_cold <= 15  # and the shared part once per process and state of the site


# --- A person in two sessions (issue 11, kind 5) -------------------------------------------------


def test_a_trainee_in_a_main_and_a_catch_up_session_sees_and_signs_both_half_days(
    client_as, monkeypatch, session, trainee
):
    enrol(session, trainee)
    catch_up = make_session(name="Session de rattrapage")
    enrol(catch_up, trainee)
    freeze(monkeypatch, paris(TODAY, 9, 5))
    client = client_as(trainee)
    html = client.get(URL).content.decode()
    assert "Aujourd'hui : 2 sessions" in html.replace("&#x27;", "'")
    assert f"{session.name} · Semaine 2 · Jour 7" in html
    assert "Session de rattrapage · Semaine 2 · Jour 7" in html
    assert html.count(">Signer ma présence</button>") == 2

    catch_up_slot = slot(catch_up, 7, "am")
    assert f'action="/emargement/{catch_up_slot.pk}/signer/"' in html
    response = client.post(f"/emargement/{catch_up_slot.pk}/signer/", follow=True)
    html = response.content.decode()
    assert "Présence signée à 9 h 05" in html
    assert html.count(">Signer ma présence</button>") == 1  # the main session's is still open
    assert catch_up_slot.attendances.get().status == "present"


def test_a_catch_up_half_day_shows_when_the_main_session_has_no_training_today(
    client_as, monkeypatch, session, trainee
):
    enrol(session, trainee)
    # The main session's week 3 moves one week later: on Monday 16 March it has no training,
    # while the catch-up session is on its day 11.
    session.week3_start = datetime.date(2026, 3, 23)
    session.save()
    catch_up = make_session(name="Rattrapage de mars", week1=datetime.date(2026, 3, 2))
    enrol(catch_up, trainee)
    moment = freeze(monkeypatch, paris(datetime.date(2026, 3, 16), 9, 0))
    session_generate_slots(session=session)
    html = client_as(trainee).get(URL).content.decode()
    assert "Pas de formation aujourd'hui" not in html.replace("&#x27;", "'")
    assert "Rattrapage de mars · " in html
    assert "Semaine 3 · Jour 11" in html
    assert moment.date() == slot(catch_up, 11, "am").date


def test_due_items_are_ordered_by_deadline_and_flagged():
    from modules.today import order_due

    day = datetime.date(2026, 3, 11)
    items = [
        {"label": "sans date"},
        {"label": "dans 3 jours", "due_date": day + datetime.timedelta(days=3)},
        {"label": "hier", "due_date": day - datetime.timedelta(days=1)},
        {"label": "aujourd'hui", "due_date": day},
        {"label": "avant-hier", "due_date": day - datetime.timedelta(days=2)},
    ]
    ordered = order_due(items, day)
    assert [i["label"] for i in ordered] == [
        "avant-hier", "hier", "aujourd'hui", "dans 3 jours", "sans date",
    ]  # fmt: skip
    assert [i["overdue"] for i in ordered] == [True, True, False, False, False]
    assert [i["next"] for i in ordered] == [False, False, True, False, False]
    assert order_due([], day) == []
