"""The demo site with work in every state, and the main pages of each role on it.

Used by the HTML validator test (tests/lms/test_html_valid.py) and the axe-core browser test
(tests/browser/test_accessibility.py): both check the same pages, so a page added here is
checked twice.
"""

from django.core.management import call_command
from django.urls import reverse

DEMO = {
    "trainee": ("stagiaire@ensemblier.example", "demo-stagiaire-2026"),
    "trainer": ("formateur@ensemblier.example", "demo-formateur-2026"),
    "coordinator": ("coordination@ensemblier.example", "demo-coordination-2026"),
    "admin": ("admin@ensemblier.example", "demo-admin-2026"),
}
ROLES = ("visitor", *DEMO)


def seed_site_with_work() -> dict:
    """`seed_demo`, then the demo trainee's work in the states the main pages show: a quiz
    submitted with an open answer to grade, a quiz in progress (the seeded dossier has its
    first milestone submitted).
    Returns the objects whose pages are checked."""
    from assessments.models import AssessmentPage
    from assessments.services import attempt_save_answers, attempt_start, attempt_submit
    from casestudies.models import Dossier
    from lms.models import User
    from tests.factories.assessments import AssessmentPageFactory

    call_command("seed_demo", stdout=_Null())
    trainee = User.objects.get(email=DEMO["trainee"][0])
    # The seeded quizzes have no open question: one with a question of each kind.
    quiz = AssessmentPageFactory(title="Quiz de synthèse", slug="quiz-de-synthese")
    graded = attempt_start(trainee=trainee, assessment=quiz)
    attempt_save_answers(
        attempt=graded,
        values={
            answer.question_id: "Une réponse rédigée."
            for answer in graded.answers.all()
            if answer.needs_grading
        },
    )
    attempt_submit(attempt=graded)
    in_progress = attempt_start(
        trainee=trainee, assessment=AssessmentPage.objects.get(slug="positionnement")
    )
    dossier = Dossier.objects.filter(trainee=trainee).first()
    open_answer = graded.answers.filter(needs_grading=True).first()
    return {
        "trainee": trainee,
        "submitted": graded,
        "in_progress": in_progress,
        "dossier": dossier,
        "open_answer": open_answer,
    }


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def main_pages(work: dict) -> dict[str, list[str]]:
    """The URLs of the main pages of each role (no Wagtail admin: its HTML is Wagtail's)."""
    from assessments.awareness.models import LessonPage
    from assessments.certification.models import Certification
    from assessments.quality.models import Complaint
    from modules.models import ModulePage, SessionSlot, TrainingSession

    module = ModulePage.objects.live().order_by("path").first()
    session = TrainingSession.objects.get(slug="demonstration-carcassonne")
    slot = SessionSlot.objects.filter(session=session).order_by("date", "pk").first()
    certificate = Certification.objects.order_by("pk").first()
    dossier = work["dossier"]
    review = reverse("casestudies:review_detail", args=[dossier.pk, "identifier"])
    certificate_detail = reverse("assessments:certification_detail", args=[certificate.number])
    public = [
        "/",
        "/programme/",
        module.url,
        "/programme/sessions/",
        f"/programme/sessions/{session.slug}/",
        reverse("assessments:results"),
        reverse("assessments:verify"),
        reverse("assessments:verify_number", args=[certificate.number]),
    ]
    staff = [
        reverse("modules:trainer_sessions"),
        reverse("modules:trainer_session", args=[session.pk]),
        reverse("modules:attendance_countersign", args=[slot.pk]),
        reverse("casestudies:review_list"),
        reverse("casestudies:dossier", args=[dossier.pk]),
        reverse("assessments:suivi"),
        reverse("assessments:suivi_session", args=[session.pk]),
        reverse("assessments:competencies_validate_bulk", args=[session.pk]),
        reverse("assessments:grading_queue"),
        reverse("assessments:grade_answer", args=[work["open_answer"].pk]),
        reverse("assessments:certifications"),
        reverse("assessments:tracker"),
        reverse("account"),
        reverse("notifications:list"),
    ]
    plan = reverse("casestudies:plan")
    lesson = LessonPage.objects.live().order_by("path").first()
    complaint = Complaint.objects.order_by("pk").first()
    awareness = [
        reverse("awareness:course"),
        lesson.url,
        reverse("awareness:checklist"),
        reverse("awareness:signup"),
        reverse("quality:complaint_file"),
    ]
    coordination = [
        reverse("quality:dashboard"),
        reverse("quality:session", args=[session.pk]),
        reverse("quality:complaints"),
        reverse("quality:complaint", args=[complaint.pk]),
        reverse("quality:accommodations"),
        reverse("awareness:referrals"),
        reverse("register:consent_events"),
    ]
    return {
        "visitor": [*public, reverse("login"), reverse("password_reset"), plan, *awareness],
        "trainee": [
            reverse("modules:today"),
            module.url,
            reverse("casestudies:my_dossiers"),
            reverse("casestudies:dossier", args=[dossier.pk]),
            reverse("assessments:mine"),
            "/evaluations/quiz-semaine-1/",
            "/evaluations/quiz-de-synthese/",
            reverse("assessments:attempt", args=[work["in_progress"].pk]),
            reverse("assessments:attempt_result", args=[work["submitted"].pk]),
            reverse("assessments:parcours"),
            reverse("modules:my_attendance"),
            reverse("account"),
            reverse("notifications:list"),
            "/programme/",
            reverse("quality:mine"),
            reverse("quality:complaint_file"),
            reverse("register:consent"),
        ],
        "trainer": [*staff, review, module.url, reverse("quality:session", args=[session.pk])],
        "coordinator": [*staff, certificate_detail, module.url, "/", *coordination],
        "admin": [*staff, review, certificate_detail, "/", *coordination],
    }
