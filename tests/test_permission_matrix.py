"""The permission matrix (issue 10): role × object × action, generated from the URL resolver.

The world: two trainers, two sessions (A under trainer A, B under trainer B, under way), one
trainee enrolled in both who did their work (attempt, open answer, dossier, signature,
certification) in session B, and another trainee of session B. Every URL of the project's apps
and every admin viewset that names an object is requested, with the object taken from session B,
by each role that must not reach it ("outsiders"), with GET and POST:

- a GET never answers 2xx to an outsider, a POST never changes a row, nobody gets a 500;
- the pages without an object never show an outsider the marks of session B's work.

Trainer A is an outsider to the work done in session B although the trainee is enrolled in A:
the scope is the enrolment, not the person (ARCHITECTURE.md, "Roles and what they may do").
"""

import datetime

from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import timezone

import pytest

from assessments.models import Answer, Attempt, CompetencyResult
from assessments.services import attempt_save_answers, attempt_start, attempt_submit
from casestudies.models import Dossier, DossierField, Submission
from casestudies.services import dossier_field_save, dossier_open
from lms.models import User
from modules.models import Attendance, Enrolment, TrainingSession
from tests.factories import (
    AssessmentPageFactory,
    CaseStudyPageFactory,
    CertificationFactory,
    CompetencyResultFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
    UserFactory,
    make_question,
)

pytestmark = pytest.mark.django_db

# The URL namespaces of the project's apps and of its admin viewsets.
APP_NAMESPACES = ("modules", "casestudies", "assessments", "quality", "register", "api-v1")
ADMIN_VIEWSETS = ("sessions", "demi-journees", "inscriptions", "wagtailusers_users")
ROLES = ("anonymous", "trainee", "classmate", "trainer_a", "trainer_b", "coordinator", "admin")

# What each URL parameter names, in the world below, and who owns it. Parameters naming public
# things (a case study, an assessment, a verification number, a private feed token) are not
# objects of a session: those URLs are checked without an object (no 500, no leak).
SECRET_ANSWER = "RÉPONSE-SECRÈTE-SESSION-B"
SECRET_FIELD = "NOTE-SECRÈTE-DOSSIER-B"
SECRET_FUNDER = "FINANCEUR-SECRET-B"


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern


def project_patterns():
    """(url name, parameter names) for every named URL of the apps and admin viewsets."""
    found = {}
    for namespace, pattern in walk(get_resolver().url_patterns):
        if namespace in APP_NAMESPACES or namespace in ADMIN_VIEWSETS:
            name = f"{namespace}:{pattern.name}"
            found.setdefault(name, tuple(pattern.pattern.converters))
    return sorted(found.items())


PATTERNS = project_patterns()
# "slug": a public session of the open register API (/api/v1/sessions/{slug}).
PUBLIC_PARAMETERS = {"case_study_id", "assessment_id", "number", "token", "table", "slug"}


@pytest.fixture
def world(home_page):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    trainer_a, trainer_b = TrainerFactory(), TrainerFactory()
    session_a = TrainingSessionFactory(
        trainers=[trainer_a], week1_start=monday + datetime.timedelta(weeks=8)
    )
    session_b = TrainingSessionFactory(trainers=[trainer_b], week1_start=monday)
    trainee, classmate = TraineeFactory(), TraineeFactory()
    enrolment_b = EnrolmentFactory(session=session_b, trainee=trainee, funder=SECRET_FUNDER)
    EnrolmentFactory(session=session_b, trainee=classmate)
    assessment = AssessmentPageFactory(
        questions=[make_question("long_text", "C3", 3, rubric=[("Calcul", 3)])]
    )
    attempt = attempt_start(trainee=trainee, assessment=assessment)
    question = assessment.questions.get()
    attempt_save_answers(attempt=attempt, values={question: SECRET_ANSWER})
    attempt_submit(attempt=attempt)
    dossier = dossier_open(trainee=trainee, case_study=CaseStudyPageFactory())
    dossier_field_save(
        dossier=dossier, milestone="identifier", name="social_situation", values=[SECRET_FIELD]
    )
    slot = session_b.slots.order_by("date", "start_time").first()
    attendance = Attendance.objects.create(
        enrolment=enrolment_b, slot=slot, status="present", trainee_signed_at=timezone.now()
    )
    # Enrolled in A after the work was done in B (finding 1: the CSV import of a trainee of B).
    EnrolmentFactory(session=session_a, trainee=trainee, status=Enrolment.Status.PRE_REGISTERED)
    result = CompetencyResultFactory(trainee=trainee)
    certification = CertificationFactory(enrolment=enrolment_b)
    quality = _quality_objects(session_b, enrolment_b, trainee, trainer_b)
    users = {
        "anonymous": None,
        "trainee": trainee,
        "classmate": classmate,
        "trainer_a": trainer_a,
        "trainer_b": trainer_b,
        "coordinator": CoordinatorFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "users": users,
        "session": session_b,
        "slot": slot,
        "attendance": attendance,
        "enrolment": enrolment_b,
        "attempt": attempt,
        "answer": attempt.answers.get(),
        "dossier": dossier,
        "result": result,
        "certification": certification,
        **quality,
    }


def _quality_objects(session, enrolment, trainee, trainer):
    """Session B's quality records: the trainee's accommodation, complaint and survey
    invitation, an improvement action, a ready evidence pack."""
    from assessments.quality.models import EvidencePack, SurveyInvitation
    from assessments.quality.seed import seed_surveys
    from assessments.quality.services import complaint_file, improvement_action_add
    from tests.factories import AccommodationFactory

    complaint = complaint_file(
        by=trainee, kind="complaint", filer_name="B", filer_email="b@exemple.fr",
        filer_role="trainee", subject="Objet B", description="Description B", session=session,
    )  # fmt: skip
    handler = UserFactory(is_superuser=True, is_staff=True)
    today = timezone.localdate()
    return {
        "accommodation": AccommodationFactory(trainee=trainee),
        "complaint": complaint,
        "action": improvement_action_add(by=handler, complaint=complaint, description="Action B"),
        "invitation": SurveyInvitation.objects.create(
            survey=seed_surveys()[0], enrolment=enrolment, week=1, opens_on=today, closes_on=today
        ),
        "pack": EvidencePack.objects.create(
            session=session,
            as_of=today,
            requested_by=trainer,
            status="ready",
            content=b"PK",
            size=2,
        ),
    }


def bind(name: str, parameters: tuple, world) -> tuple[dict, set[str]] | None:
    """The URL kwargs naming session B's object for `name`, and the roles that may reach it;
    None when the URL names no object of a session."""
    if not parameters or set(parameters) & PUBLIC_PARAMETERS:
        return None
    staff = {"trainer_b", "coordinator", "admin"}
    owner = staff | {"trainee"}
    namespace = name.split(":")[0]
    values, allowed = {}, set()
    for parameter in parameters:
        if parameter == "pk":
            obj, may = {
                "casestudies": (world["dossier"], owner),
                "sessions": (world["session"], staff),
                "demi-journees": (world["slot"], staff),
                "inscriptions": (world["enrolment"], staff),
                "wagtailusers_users": (world["users"]["trainee"], {"coordinator", "admin"}),
            }[namespace]
            values["pk"] = obj.pk
        elif parameter == "milestone":
            values["milestone"] = "identifier"
            continue
        elif parameter == "question_id":
            values["question_id"] = world["answer"].question_id
            continue
        else:
            obj, may = {
                "session_id": (world["session"], staff),
                # A half-day of B: its trainees sign their own presence there.
                "slot_id": (world["slot"], staff | {"trainee", "classmate"}),
                "attendance_id": (world["attendance"], staff),
                "attempt_id": (world["attempt"], owner),
                "answer_id": (world["answer"], staff),
                "enrolment_id": (world["enrolment"], owner),
                # A competency belongs to the person (a decision of the trainers of any of their
                # sessions; docs/decisions.md): trainer A follows this trainee too.
                "result_id": (world["result"], staff | {"trainer_a"}),
                # Quality: the referent (here the administrator) records accommodations; the
                # coordination handles complaints, which their filer follows; a survey is its
                # trainee's; a session's evidence pack is its trainers' and the coordination's.
                "accommodation_id": (world["accommodation"], {"admin"}),
                "complaint_id": (world["complaint"], {"trainee", "coordinator", "admin"}),
                "action_id": (world["action"], {"coordinator", "admin"}),
                "invitation_id": (world["invitation"], {"trainee"}),
                "pack_id": (world["pack"], staff),
            }[parameter]
            values[parameter] = obj.pk
        allowed = may if not allowed else allowed & may
    return values, allowed


def fingerprint() -> list:
    """Every row a POST could change, as plain values (logging in is not a change)."""
    from assessments.quality import models as quality

    models = (
        Attempt, Answer, Dossier, DossierField, Submission, Attendance, Enrolment,
        TrainingSession, CompetencyResult, quality.Accommodation, quality.Complaint,
        quality.ComplaintStep, quality.ImprovementAction, quality.SurveyInvitation,
        quality.SurveyResponse, quality.EvidencePack,
    )  # fmt: skip
    rows = [list(model.objects.order_by("pk").values()) for model in models]
    accounts = User.objects.order_by("pk").values("pk", "is_superuser", "is_active", "password")
    memberships = User.groups.through.objects.order_by("pk").values_list("user_id", "group_id")
    return [*rows, list(accounts), list(memberships)]


def client_for(client, user):
    client.logout()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


OBJECT_URLS = [(name, params) for name, params in PATTERNS if params]
LIST_URLS = [name for name, params in PATTERNS if not params]


def test_the_matrix_covers_the_apps_and_the_admin_viewsets():
    namespaces = {name.split(":")[0] for name, _ in PATTERNS}
    assert namespaces == set(APP_NAMESPACES) | set(ADMIN_VIEWSETS)
    assert len(OBJECT_URLS) >= 40


@pytest.mark.parametrize(("name", "parameters"), OBJECT_URLS, ids=[n for n, _ in OBJECT_URLS])
def test_no_role_reaches_an_object_outside_its_scope(client, world, name, parameters):
    from django.urls import reverse

    binding = bind(name, parameters, world)
    if binding is None:
        pytest.skip("names a public object (checked by the public pages' own tests)")
    kwargs, allowed = binding
    url = reverse(name, kwargs=kwargs)
    before = fingerprint()
    for role in ROLES:
        user = world["users"][role]
        get = client_for(client, user).get(url)
        assert get.status_code != 500, (role, url)
        if role in allowed:
            continue
        assert not 200 <= get.status_code < 300, (role, "GET", url, get.status_code)
        post = client_for(client, user).post(url, {"status": "present", "decision": "accepted"})
        assert post.status_code != 500, (role, "POST", url)
        assert not 200 <= post.status_code < 300 or post.status_code == 204, (role, "POST", url)
        assert fingerprint() == before, (role, "POST", url)


@pytest.mark.parametrize("name", LIST_URLS)
def test_lists_never_show_an_outsider_the_work_of_session_b(client, world, name):
    from django.urls import reverse

    url = reverse(name)
    for role in ("anonymous", "classmate", "trainer_a"):
        response = client_for(client, world["users"][role]).get(url)
        assert response.status_code != 500, (role, url)
        if response.streaming:
            body = b"".join(response.streaming_content).decode(errors="replace")
        else:
            body = response.content.decode(errors="replace")
        for secret in (SECRET_ANSWER, SECRET_FIELD, SECRET_FUNDER):
            assert secret not in body, (role, url, secret)
