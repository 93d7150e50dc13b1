"""competency_evidence (the contract for assessments), the due provider, query counts."""

from decimal import Decimal

from django.urls import reverse

import pytest

from casestudies.due import dossier_due_items
from casestudies.models import MilestoneStatus
from casestudies.selectors import competency_evidence
from tests.factories import CaseStudyPageFactory, DossierFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def validated(dossier, milestone, score):
    dossier.milestones.filter(milestone=milestone).update(
        status=MilestoneStatus.VALIDATED, score=score
    )


def test_evidence_maps_accepted_milestones_to_their_competencies():
    case = CaseStudyPageFactory()
    first, second = DossierFactory(case_study=case), DossierFactory(case_study=case)
    validated(first, "identifier", Decimal("80"))
    validated(first, "organiser", Decimal("65.5"))
    validated(first, "realiser", Decimal("90"))
    second.milestones.filter(milestone="identifier").update(
        status=MilestoneStatus.SUBMITTED, score=None
    )
    evidence = competency_evidence([first.trainee_id, second.trainee_id])
    assert evidence[first.trainee_id] == {
        "C1": [Decimal("80")], "C2": [Decimal("65.5")], "C3": [Decimal("65.5")],
        "C4": [Decimal("90")], "C5": [Decimal("90")],
    }  # fmt: skip
    assert evidence[second.trainee_id] == {}


def test_evidence_lists_every_accepted_dossier_of_a_trainee():
    dossier = DossierFactory()
    other = DossierFactory(trainee=dossier.trainee, case_study=CaseStudyPageFactory())
    validated(dossier, "identifier", Decimal("50"))
    validated(other, "identifier", Decimal("100"))
    assert sorted(competency_evidence([dossier.trainee_id])[dossier.trainee_id]["C1"]) == [
        Decimal("50"), Decimal("100"),
    ]  # fmt: skip


def test_evidence_takes_one_query_whatever_the_number_of_trainees(django_assert_num_queries):
    case = CaseStudyPageFactory()
    dossiers = [DossierFactory(case_study=case) for _ in range(6)]
    for dossier in dossiers:
        validated(dossier, "identifier", Decimal(70))
    with django_assert_num_queries(1):
        competency_evidence([d.trainee_id for d in dossiers[:2]])
    with django_assert_num_queries(1):
        competency_evidence([d.trainee_id for d in dossiers])


def test_the_due_provider_lists_sent_back_milestones_first(dossier):
    other = DossierFactory(trainee=dossier.trainee, case_study=CaseStudyPageFactory(title="B"))
    other.milestones.filter(milestone="organiser").update(status=MilestoneStatus.SENT_BACK)
    items = dossier_due_items(dossier.trainee, None, None)
    assert items[0]["due_label"] == "à corriger"  # no deadline without a session
    assert "Organiser et financer" in items[0]["label"]
    assert items[0]["url"].endswith("?jalon=organiser")
    assert any(item["due_label"] == "à soumettre" for item in items[1:])


def test_a_dossier_is_due_on_the_last_day_of_its_modules_in_the_session(
    dossier, session, home_page, django_assert_num_queries
):
    import datetime

    from modules.models import ModulePage, SessionSlot
    from tests.factories.modules import build_programme

    build_programme(home_page, with_calendar=False)
    one, two, three = ModulePage.objects.filter(number__in=[1, 2, 3]).order_by("number")
    case = dossier.case_study
    case.modules = [one, two]
    case.save()
    for day, module in ((2, one), (5, two), (9, three)):
        slot = SessionSlot.objects.create(
            session=session, day_number=day, half="am", date=datetime.date(2026, 3, day),
            start_time=datetime.time(9), end_time=datetime.time(12, 30),
        )  # fmt: skip
        slot.modules.add(module)
    enrolment = dossier.enrolment or session.enrolments.get(trainee=dossier.trainee)
    # The trainee's milestones, then the session's deadlines (case studies, their modules, the
    # session's days), built once and shared by the session's trainees (lms.shared).
    with django_assert_num_queries(4):
        dossier_due_items(dossier.trainee, enrolment, datetime.date(2026, 3, 2))
    with django_assert_num_queries(1):
        items = dossier_due_items(dossier.trainee, enrolment, datetime.date(2026, 3, 2))
    assert items[0]["due_date"] == datetime.date(2026, 3, 5)
    assert items[0]["due_label"] == "jeudi 5 mars"
    assert "(à soumettre)" in items[0]["label"]


def test_the_due_provider_is_registered_with_the_today_page():
    from modules import today

    assert dossier_due_items in today._due_providers


def _count_queries(client, url, _unused=None):
    """Queries of one GET of `url`, after a warm-up request (site and settings caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_trainees_with_dossiers(session, case, count):
    for _ in range(count):
        enrolment = EnrolmentFactory(session=session)
        dossier = DossierFactory(trainee=enrolment.trainee, case_study=case)
        dossier.milestones.filter(milestone="identifier").update(status="submitted")


def test_the_review_list_query_count_is_constant(client_as, trainer, session, case_study):
    client = client_as(trainer)
    url = reverse("casestudies:review_list")
    _add_trainees_with_dossiers(session, case_study, 2)
    small = _count_queries(client, url, None)
    _add_trainees_with_dossiers(session, case_study, 4)
    large = _count_queries(client, url, None)
    assert small == large


def test_my_dossiers_query_count_is_constant(client_as, enrolled_trainee):
    client = client_as(enrolled_trainee)
    url = reverse("casestudies:my_dossiers")
    for _ in range(2):
        DossierFactory(trainee=enrolled_trainee)
    small = _count_queries(client, url, None)
    for _ in range(4):
        DossierFactory(trainee=enrolled_trainee)
    large = _count_queries(client, url, None)
    assert small == large


def test_the_dossier_page_query_count_is_constant(client_as, dossier, trainer):
    from casestudies.models import DossierField, Submission

    client = client_as(dossier.trainee)
    url = dossier.get_absolute_url() + "?jalon=identifier"
    small = _count_queries(client, url, None)
    state = dossier.milestones.get(milestone="identifier")
    for name in ("needs", "social_situation", "trusted_third_party"):
        DossierField.objects.create(
            dossier=dossier,
            milestone="identifier",
            name=name,
            value="x",
            updated_at=state.updated_at,
        )
    for _ in range(3):
        Submission.objects.create(
            dossier_milestone=state, submitted_at=state.updated_at, answers={"a": 1},
            decision="sent_back", decided_by=trainer, decided_at=state.updated_at, comment="c",
        )  # fmt: skip
    state.status = "sent_back"
    state.save()
    large = _count_queries(client, url, None)
    assert small == large


def test_an_autosave_takes_a_small_constant_number_of_queries(client_as, dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(dossier.trainee)
    url = reverse("casestudies:autosave", args=[dossier.pk])
    counts = []
    for index in range(3):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                url, {"_milestone": "identifier", "_field": "needs", "needs": f"v{index}"}
            )
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[2]
    assert counts[2] <= 8, "\n".join(q["sql"][:90] for q in captured.captured_queries)
