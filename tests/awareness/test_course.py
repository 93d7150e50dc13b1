"""The open awareness course: public reading, self-checks graded by the assessment engine,
light account, progress, attestation verifiable like a certificate."""

import html as htmllib
import io
import re

from django.core import mail

from wagtail.test.utils import WagtailPageTestCase

import pytest
from pypdf import PdfReader

from assessments.awareness import seed as course_seed
from assessments.awareness.models import (
    Attestation,
    CourseIndexPage,
    FieldProfile,
    LessonCompletion,
    LessonPage,
    SignupRequest,
)
from assessments.certification import numbers
from lms.models import HomePage, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    return course_seed.seed()


def right_answers(lesson) -> dict:
    data = {}
    for index, block in enumerate(lesson.self_checks):
        data[f"q{index}"] = [
            str(key) for key, choice in enumerate(block.value["choices"]) if choice["correct"]
        ]
    return data


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def test_the_seed_builds_five_lessons_with_self_checks_once(course):
    lessons = list(course.lessons())
    assert len(lessons) == 5
    assert all(len(lesson.self_checks) >= 2 for lesson in lessons)
    course_seed.seed()
    assert LessonPage.objects.count() == 5 and CourseIndexPage.objects.count() == 1


def test_the_course_and_its_lessons_are_public(client, course):
    assert "Qui sont les ménages" in text(client.get(course.url))
    lesson = course.lessons().first()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Vérifiez ce que vous avez retenu" in text(response)


def test_an_anonymous_reader_gets_immediate_feedback_and_nothing_is_stored(client, course):
    lesson = course.lessons().first()
    response = client.post(lesson.url, {"q0": ["2"], "q1": "1"})
    assert response.status_code == 200
    page = text(response)
    assert "Pas tout à fait" in page and "Juste" in page
    assert "La loi de 2010 cite deux causes" in page
    assert not LessonCompletion.objects.exists()
    response = client.post(lesson.url, right_answers(lesson))
    assert "Tout est juste" in text(response)
    assert not LessonCompletion.objects.exists()


def test_garbage_answers_never_give_a_500(client, course):
    lesson = course.lessons().first()
    for data in ({"q0": ["99", "-1", "x" * 50]}, {"q9": "1"}, {"q1": ["0", "1", "0"]}):
        assert client.post(lesson.url, data).status_code == 200


def _confirmation_path(message) -> str:
    (link,) = re.findall(r"http://testserver(/compte-leger/confirmer/\S+/)", message.body)
    return link


SIGNUP = {
    "first_name": "Léa",
    "last_name": "Martin",
    "role": "travailleur_social",
    "password": "une-phrase-de-passe-solide-2026",
}


def test_a_light_account_keeps_progress_and_unlimited_tries(
    client, course, territory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compte-leger/",
            {**SIGNUP, "email": "Lea@Exemple.fr", "territory": territory.pk, "next": course.url},
        )
    assert (
        response.status_code == 302
        and response["Location"] == "/compte-leger/verifiez-votre-boite/"
    )
    assert not User.objects.filter(email="lea@exemple.fr").exists()  # not before the link
    (message,) = mail.outbox
    assert message.to == ["lea@exemple.fr"] and message.body.startswith("Bonjour Léa,")
    link = _confirmation_path(message)
    assert "Créer mon compte" in text(client.get(link))  # a GET (a mail scanner) creates nothing
    assert not User.objects.filter(email="lea@exemple.fr").exists()
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == course.url
    user = User.objects.get(email="lea@exemple.fr")
    assert user.check_password(SIGNUP["password"])
    assert FieldProfile.objects.get(user=user).role == "travailleur_social"
    assert not user.groups.exists()  # no trainee role, no access to the training
    assert client.post(link).status_code == 400  # used once
    lesson = course.lessons().first()
    for _ in range(3):
        client.post(lesson.url, {"q0": ["2"]})
    assert not LessonCompletion.objects.filter(user=user).exists()
    client.post(lesson.url, right_answers(lesson))
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).exists()
    assert "1 leçon sur 5" in text(client.get(course.url))


def test_signup_answers_the_same_whether_the_address_has_an_account_or_not(
    client, course, trainee, django_capture_on_commit_callbacks
):
    def sign_up(email):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/compte-leger/", {**SIGNUP, "email": email}, follow=True)
        return response, list(mail.outbox)

    taken, taken_mail = sign_up(trainee.email.upper())
    free, free_mail = sign_up("personne@exemple.fr")
    assert taken.status_code == free.status_code == 200
    assert taken.redirect_chain == free.redirect_chain
    page = text(taken)
    assert "Vérifiez votre boîte e-mail" in page and "existe déjà" not in page
    assert re.sub(r'value="[^"]+"', "", page) == re.sub(r'value="[^"]+"', "", text(free))
    # The owner is told, with the ways back in; nothing changed on their account.
    (notice,) = taken_mail
    assert (
        notice.to == [trainee.email] and notice.subject == "Ensemblier : vous avez déjà un compte"
    )
    assert "http://testserver/compte/connexion/" in notice.body
    assert "http://testserver/compte/mot-de-passe/oubli/" in notice.body
    assert not FieldProfile.objects.filter(user=trainee).exists()
    assert SignupRequest.objects.filter(email=trainee.email).count() == 0
    (confirmation,) = free_mail
    assert confirmation.to == ["personne@exemple.fr"]


def test_a_confirmation_link_is_signed_expires_and_respects_an_account_made_meanwhile(
    client, course, settings, django_capture_on_commit_callbacks
):
    assert client.get("/compte-leger/confirmer/forged:token/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte-leger/", {**SIGNUP, "email": "zoe@exemple.fr"})
    link = _confirmation_path(mail.outbox[-1])
    UserFactory(email="zoe@exemple.fr")  # e.g. enrolled by a CSV import in between
    response = client.post(link, follow=True)
    assert "Un compte existe déjà avec cette adresse" in text(response)
    assert User.objects.filter(email="zoe@exemple.fr").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte-leger/", {**SIGNUP, "email": "yan@exemple.fr"})
    link = _confirmation_path(mail.outbox[-1])
    settings.AWARENESS_SIGNUP_LINK_HOURS = 0
    assert client.post(link).status_code == 400
    assert not User.objects.filter(email="yan@exemple.fr").exists()


def test_signup_keeps_what_was_typed_on_an_invalid_form(client, course):
    response = client.post(
        "/compte-leger/", {"email": "pas-une-adresse", "first_name": "Zoé", "role": "elu"}
    )
    assert response.status_code == 400
    page = text(response)
    assert 'value="Zoé"' in page and "Saisissez une adresse de courriel valide" in page


def test_one_address_is_not_flooded_from_the_signup_page(
    client, course, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert (
                client.post("/compte-leger/", {**SIGNUP, "email": trainee.email}).status_code == 302
            )
        assert client.post("/compte-leger/", {**SIGNUP, "email": trainee.email}).status_code == 429
    assert len(mail.outbox) == 5


def test_completing_the_course_gives_a_verifiable_attestation(
    client_as, course, volunteer, territory
):
    client = client_as(volunteer)
    assert client.post("/parcours-sensibilisation/attestation/").status_code == 302
    assert not Attestation.objects.exists()  # not complete yet
    for lesson in course.lessons():
        client.post(lesson.url, right_answers(lesson))
    client.post("/parcours-sensibilisation/attestation/")
    attestation = Attestation.objects.get(user=volunteer)
    assert attestation.number.startswith("SEN-") and numbers.is_well_formed(attestation.number)
    assert attestation.role == "benevole" and attestation.territory == territory
    client.post("/parcours-sensibilisation/attestation/")
    assert Attestation.objects.count() == 1

    pdf = client.get("/parcours-sensibilisation/attestation.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert attestation.number in content and "Marc Bénévole" in content

    verified = text(client.get(f"/certificats/verifier/{attestation.number.lower()}/"))
    assert "attestation de sensibilisation" in verified and "Marc Bénévole" in verified
    assert "valide" in verified
    unknown = text(client.get("/certificats/verifier/SEN-2026-99999-K7QF/"))
    assert "Aucune attestation" in unknown


def test_the_attestation_pdf_needs_an_attestation(client_as, course, volunteer):
    assert client_as(volunteer).get("/parcours-sensibilisation/attestation.pdf").status_code == 404


class TestCourseTree(WagtailPageTestCase):
    def test_the_course_lives_under_the_home_page_and_holds_lessons_only(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)


def test_the_course_page_costs_constant_queries_whatever_the_progress(
    client_as, course, volunteer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(volunteer)
    client.get(course.url)
    with CaptureQueriesContext(connection) as none_done:
        client.get(course.url)
    # Read now: every request clears the connection's query log (request_started).
    queries = len(none_done.captured_queries)
    assert queries > 5
    for lesson in course.lessons():
        client.post(lesson.url, right_answers(lesson))
    with django_assert_max_num_queries(queries + 1):  # + the attestation form's check
        client.get(course.url)


def test_light_accounts_are_not_created_in_bulk_from_one_address(client, course):
    """A class behind one address signs up (40 an hour); the 41st POST gets the French 429 page."""
    from assessments.awareness.views import SIGNUPS_PER_CLIENT

    allowed = int(SIGNUPS_PER_CLIENT.split("/")[0])
    for number in range(allowed):
        response = client.post("/compte-leger/", {"email": f"x{number}@exemple.fr"})
        assert response.status_code == 400  # incomplete form, counted all the same
    assert client.post("/compte-leger/", {"email": "y@exemple.fr"}).status_code == 429
    assert not User.objects.filter(email__endswith="@exemple.fr").exists()


def test_an_unknown_profile_is_refused_by_the_services(trainee, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from assessments.awareness import services

    with pytest.raises(ValidationError):
        services.profile_save(user=trainee, role="pirate", territory=None)
    assert not FieldProfile.objects.filter(user=trainee).exists()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.signup_request(
            email="x@exemple.fr", first_name="X", last_name="", role="pirate",
            territory=None, password="une-phrase-de-passe-solide-2026",
        )  # fmt: skip
    assert not SignupRequest.objects.exists() and mail.outbox == []
