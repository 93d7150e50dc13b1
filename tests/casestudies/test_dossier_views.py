"""The dossier page, autosave, simulator check and submission, through HTTP."""

from django.urls import reverse

import pytest

from casestudies.models import DossierField, MilestoneStatus, Submission
from tests.factories import CaseStudyPageFactory

from .conftest import IDENTIFIER_OK, ORGANISER_OK

pytestmark = pytest.mark.django_db


def autosave(client, dossier, milestone, name, value):
    data = {"_milestone": milestone, "_field": name}
    if value is not None:
        data[name] = value
    return client.post(reverse("casestudies:autosave", args=[dossier.pk]), data)


def save_all(client, dossier, milestone, values):
    for name, value in values.items():
        assert autosave(client, dossier, milestone, name, value).status_code == 200


def test_autosave_stores_the_value_and_says_when(client_as, dossier):
    client = client_as(dossier.trainee)
    response = autosave(client, dossier, "identifier", "needs", "Avoir chaud")
    assert response.status_code == 200
    assert "Enregistré à" in response.content.decode()
    assert DossierField.objects.get(dossier=dossier, name="needs").value == "Avoir chaud"


def test_autosave_keeps_an_invalid_value_and_returns_the_french_error(client_as, dossier):
    client = client_as(dossier.trainee)
    response = autosave(client, dossier, "organiser", "works_cost_ht", "quarante mille")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un nombre" in body
    assert "Brouillon gardé à" in body and "Enregistré à" not in body
    stored = DossierField.objects.get(dossier=dossier, name="works_cost_ht")
    assert stored.value == "quarante mille"


def test_autosave_of_a_checkbox_group_stores_the_list(client_as, dossier):
    client = client_as(dossier.trainee)
    autosave(client, dossier, "identifier", "documents_to_gather", ["rib", "devis"])
    stored = DossierField.objects.get(dossier=dossier, name="documents_to_gather")
    assert stored.value == ["rib", "devis"]
    autosave(client, dossier, "identifier", "documents_to_gather", None)
    stored.refresh_from_db()
    assert stored.value == []


def test_autosave_of_one_field_never_overwrites_another(client_as, dossier):
    client = client_as(dossier.trainee)
    autosave(client, dossier, "identifier", "needs", "Besoin 1")
    autosave(client, dossier, "identifier", "social_situation", "Isolée")
    autosave(client, dossier, "identifier", "needs", "Besoin 2")
    values = dict(DossierField.objects.filter(dossier=dossier).values_list("name", "value"))
    assert values == {"needs": "Besoin 2", "social_situation": "Isolée"}


def test_autosave_rejects_an_unknown_field(client_as, dossier):
    response = autosave(client_as(dossier.trainee), dossier, "identifier", "is_superuser", "1")
    assert response.status_code == 400
    assert not DossierField.objects.exists()


def test_autosave_of_an_anonymous_user_answers_401_not_a_login_page(client, dossier):
    response = autosave(client, dossier, "identifier", "needs", "x")
    assert response.status_code == 401
    assert "Session expirée" in response.content.decode()


def test_autosave_on_a_submitted_milestone_is_refused_with_409(client_as, dossier):
    dossier.milestones.filter(milestone="identifier").update(status=MilestoneStatus.SUBMITTED)
    response = autosave(client_as(dossier.trainee), dossier, "identifier", "needs", "x")
    assert response.status_code == 409
    assert not DossierField.objects.exists()


def test_the_dossier_page_shows_the_household_and_saved_raw_values(client_as, dossier):
    client = client_as(dossier.trainee)
    autosave(client, dossier, "organiser", "works_cost_ht", "45 000 euros environ")
    response = client.get(dossier.get_absolute_url() + "?jalon=organiser")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Le ménage" in body and "Chaudière fioul" in body
    assert 'value="45 000 euros environ"' in body
    assert "Vérifier avec le simulateur" in body
    assert "Soumettre au formateur" in body
    assert 'data-hx-trigger="input changed delay:600ms, change"' in body


def test_an_unknown_milestone_is_a_404(client_as, dossier):
    response = client_as(dossier.trainee).get(dossier.get_absolute_url() + "?jalon=facturer")
    assert response.status_code == 404


def test_the_trainers_check_shows_each_difference_with_its_rule(client_as, dossier, trainer):
    client = client_as(trainer)
    answers = dict(ORGANISER_OK, aid_mpr_accompagnee="40 000")
    response = client.post(
        reverse("casestudies:check", args=[dossier.pk, "organiser"]), dict(answers, _full="1")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Écart" in body
    assert "MaPrimeRénov&#x27; Parcours accompagné" in body or "Parcours accompagné" in body
    assert "Taux pour un gain de 3 classes" in body
    assert "Source :" in body
    assert not DossierField.objects.exists(), "a check stores nothing"


def test_check_of_right_answers_shows_no_difference(client_as, dossier):
    response = client_as(dossier.trainee).post(
        reverse("casestudies:check", args=[dossier.pk, "identifier"]),
        dict(IDENTIFIER_OK, _full="1"),
    )
    body = response.content.decode()
    assert "2 concordent avec le simulateur · 0 à revoir" in body
    assert "À revoir</span>" not in body


def test_submitting_an_incomplete_milestone_keeps_the_values_and_names_the_fields(
    client_as, dossier
):
    client = client_as(dossier.trainee)
    response = client.post(
        reverse("casestudies:submit", args=[dossier.pk, "identifier"]),
        {"_full": "1", "needs": "Chauffage", "action": "submit"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Champ requis." in body
    assert "exige le contrat d&#x27;accompagnement signé" in body
    assert "Chauffage" in body
    assert DossierField.objects.get(dossier=dossier, name="needs").value == "Chauffage"
    assert not Submission.objects.exists()


def test_submitting_a_complete_milestone_creates_a_submission_with_its_score(client_as, dossier):
    client = client_as(dossier.trainee)
    response = client.post(
        reverse("casestudies:submit", args=[dossier.pk, "identifier"]),
        dict(IDENTIFIER_OK, income_scale="idf", action="submit"),
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.automatic_score == 50
    state = dossier.milestones.get(milestone="identifier")
    assert state.status == MilestoneStatus.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "En attente de validation" in page
    assert "disabled" in page


def test_the_save_button_saves_without_submitting(client_as, dossier):
    client = client_as(dossier.trainee)
    response = client.post(
        reverse("casestudies:submit", args=[dossier.pk, "identifier"]),
        {"needs": "Chauffage", "action": "save"},
    )
    assert response.status_code == 302
    assert DossierField.objects.get(dossier=dossier, name="needs").value == "Chauffage"
    assert not Submission.objects.exists()


def test_opening_a_dossier_twice_gives_the_same_dossier(client_as, enrolled_trainee, case_study):
    client = client_as(enrolled_trainee)
    url = reverse("casestudies:dossier_open", args=[case_study.pk])
    first = client.post(url)
    second = client.post(url)
    assert first["Location"] == second["Location"]
    assert enrolled_trainee.dossiers.get().milestones.count() == 3


def test_my_dossiers_lists_dossiers_and_case_studies_to_open(client_as, dossier):
    CaseStudyPageFactory(title="Un autre ménage")
    body = client_as(dossier.trainee).get(reverse("casestudies:my_dossiers")).content.decode()
    assert "Cas A" in body
    assert "Un autre ménage" in body
    assert "Ouvrir le dossier" in body


def test_a_user_without_enrolment_cannot_open_a_dossier(client_as, trainee, case_study):
    response = client_as(trainee).post(reverse("casestudies:dossier_open", args=[case_study.pk]))
    assert response.status_code == 403
    assert not trainee.dossiers.exists()


def test_a_case_whose_situation_became_invalid_never_gives_a_500(client_as, dossier, trainer):
    from casestudies.models import CaseStudyPage

    CaseStudyPage.objects.filter(pk=dossier.case_study_id).update(situation={"household": {}})
    client = client_as(dossier.trainee)
    response = client.post(
        reverse("casestudies:check", args=[dossier.pk, "identifier"]),
        dict(IDENTIFIER_OK, _full="1"),
    )
    assert response.status_code == 200
    assert "ne vérifie pas ce jalon" in response.content.decode()
    response = client.post(
        reverse("casestudies:submit", args=[dossier.pk, "identifier"]),
        dict(IDENTIFIER_OK, action="submit"),
    )
    assert response.status_code == 302
    assert Submission.objects.get().automatic_score is None
    page = CaseStudyPage.objects.get(pk=dossier.case_study_id)
    body = client_as(trainer).get(page.url).content.decode()
    assert "Situation invalide pour le simulateur" in body


def test_the_household_is_shared_but_each_trainee_sees_their_own_answers(
    client_as, dossier, coordinator
):
    """The household is a fragment kept for every reader of the case study (lms.shared): two
    trainees on one case study see the same household and their own answers; a republished
    case study shows on the next request."""
    from casestudies.models import CaseStudyPage
    from tests.factories import DossierFactory, EnrolmentFactory, TraineeFactory

    other = TraineeFactory()
    EnrolmentFactory(trainee=other, session=dossier.enrolment.session)
    theirs = DossierFactory(trainee=other, case_study=dossier.case_study)
    mine_client = client_as(dossier.trainee)
    autosave(mine_client, dossier, "organiser", "works_cost_ht", "45 000 euros environ")
    for _ in range(2):  # before and after the fragment is stored
        body = mine_client.get(dossier.get_absolute_url() + "?jalon=organiser").content.decode()
        assert "Chaudière fioul" in body and 'value="45 000 euros environ"' in body
        other_client = client_as(other)
        body = other_client.get(theirs.get_absolute_url() + "?jalon=organiser").content.decode()
        assert "Chaudière fioul" in body and "45 000 euros environ" not in body
        mine_client = client_as(dossier.trainee)
    page = CaseStudyPage.objects.get(pk=dossier.case_study_id)
    page.location = "Quillan (Aude)"
    page.save_revision(user=coordinator).publish(user=coordinator)
    body = client_as(other).get(theirs.get_absolute_url()).content.decode()
    assert "Quillan (Aude)" in body


def test_the_dossier_page_takes_a_constant_number_of_queries(
    client_as, dossier, django_assert_num_queries
):
    """Warm (the site lookup and the household stored): the session, the user, their roles
    (with the admin access the userbar asks), the dossier with the case study's title and check
    limit, its milestones, the answers, the milestone's submissions, the unread count. The
    household's first reader also loads the whole case study page, its people and documents."""
    from lms import pagecache

    client = client_as(dossier.trainee)
    save_all(client, dossier, "identifier", IDENTIFIER_OK)
    client.post(
        reverse("casestudies:submit", args=[dossier.pk, "identifier"]),
        {**IDENTIFIER_OK, "_full": "1", "action": "submit"},
    )
    url = dossier.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(8):
        body = client.get(url).content.decode()
    assert "Soumis le " in body and "Soumis le  :" not in body  # the date of the submission
    assert "Couple isolé, pas de dette." in body
    with django_assert_num_queries(8):
        client.get(url + "?jalon=organiser")
    pagecache.bump(pagecache.SITE)  # the household fragment is built again
    with django_assert_num_queries(11):
        body = client.get(url).content.decode()
    assert "Chaudière fioul" in body


def test_an_autosave_takes_a_constant_number_of_queries(
    client_as, dossier, django_assert_num_queries
):
    """Session, user, dossier, the locked milestone, the field, the write (+ the dossier's last
    activity when it is more than a minute old), within a transaction."""
    client = client_as(dossier.trainee)
    autosave(client, dossier, "identifier", "needs", "Première ligne")  # creates the field
    # Session, user, dossier; SAVEPOINT; milestone (locked), field; UPDATE; RELEASE.
    with django_assert_num_queries(8):
        autosave(client, dossier, "identifier", "needs", "Deuxième ligne")
    # A new field: the insert in its own savepoint (SAVEPOINT, INSERT, RELEASE).
    with django_assert_num_queries(10):
        autosave(client, dossier, "identifier", "social_situation", "Isolée")


def test_the_dossiers_last_activity_moves_at_most_once_a_minute(client_as, dossier):
    import datetime

    from django.utils import timezone

    from casestudies.models import Dossier

    client = client_as(dossier.trainee)
    autosave(client, dossier, "identifier", "needs", "Un")
    first = Dossier.objects.get(pk=dossier.pk).last_activity_at
    autosave(client, dossier, "identifier", "needs", "Deux")
    assert Dossier.objects.get(pk=dossier.pk).last_activity_at == first  # within the minute
    Dossier.objects.filter(pk=dossier.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    autosave(client, dossier, "identifier", "needs", "Trois")
    moved = Dossier.objects.get(pk=dossier.pk).last_activity_at
    assert timezone.now() - moved < datetime.timedelta(seconds=30)
