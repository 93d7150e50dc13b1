"""Double actions and two tabs on a dossier (issue 11, kind 7): a racing submit gets the first
one's outcome, a locked milestone refuses every write and keeps what was typed on screen, and a
field edited in two tabs is a conflict that shows both texts instead of a silent overwrite."""

import threading

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

import pytest

from casestudies.models import DossierField, MilestoneStatus, Submission

from .conftest import IDENTIFIER_OK


def autosave(client, dossier, name, value, version=None, milestone="identifier"):
    data = {"_milestone": milestone, "_field": name, name: value}
    if version is not None:
        data[f"_version_{name}"] = str(version)
    return client.post(reverse("casestudies:autosave", args=[dossier.pk]), data)


def submit(client, dossier, answers, action="submit", milestone="identifier"):
    url = reverse("casestudies:submit", args=[dossier.pk, milestone])
    return client.post(url, dict(answers, action=action, _full="1"))


def stored(dossier, name):
    return DossierField.objects.get(dossier=dossier, name=name)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
class TestFieldVersions:
    def test_each_change_bumps_the_version_the_client_sends_back(self, client_as, dossier):
        client = client_as(dossier.trainee)
        first = autosave(client, dossier, "needs", "Avoir chaud", version=0)
        assert first.status_code == 200 and first["X-Field-Version"] == "1"
        second = autosave(client, dossier, "needs", "Avoir chaud l'hiver", version=1)
        assert second.status_code == 200 and second["X-Field-Version"] == "2"
        assert (stored(dossier, "needs").value, stored(dossier, "needs").version) == (
            "Avoir chaud l'hiver",
            2,
        )

    def test_a_save_from_a_stale_tab_is_a_conflict_that_overwrites_nothing(
        self, client_as, dossier
    ):
        tab_a, tab_b = client_as(dossier.trainee), client_as(dossier.trainee)
        autosave(tab_a, dossier, "needs", "Texte de l'onglet A", version=0)
        response = autosave(tab_b, dossier, "needs", "Texte de l'onglet B", version=0)
        body = response.content.decode()
        assert response.status_code == 409
        assert response["X-Save-Outcome"] == "conflict"
        assert response["X-Field-Version"] == "1"
        assert "Texte de l&#x27;onglet A" in body and "Texte de l&#x27;onglet B" in body
        assert "modifié ailleurs" in body and "Enregistré à" not in body
        assert stored(dossier, "needs").value == "Texte de l'onglet A"

    def test_keeping_my_text_after_a_conflict_saves_it_over_the_version_seen(
        self, client_as, dossier
    ):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "needs", "A", version=0)
        conflict = autosave(client, dossier, "needs", "B", version=0)
        kept = autosave(client, dossier, "needs", "B", version=int(conflict["X-Field-Version"]))
        assert kept.status_code == 200 and "Enregistré à" in kept.content.decode()
        assert stored(dossier, "needs").value == "B"

    def test_the_same_value_from_a_stale_tab_is_not_a_conflict_and_not_rewritten(
        self, client_as, dossier
    ):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "needs", "Pareil", version=0)
        again = autosave(client, dossier, "needs", "Pareil", version=0)
        assert again.status_code == 200 and again["X-Field-Version"] == "1"
        assert stored(dossier, "needs").version == 1

    def test_a_checkbox_group_conflict_shows_both_choices_by_label(self, client_as, dossier):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "documents_to_gather", ["rib"], version=0)
        response = autosave(client, dossier, "documents_to_gather", ["devis"], version=0)
        body = response.content.decode()
        assert response.status_code == 409
        assert "Relevé d&#x27;identité bancaire" in body and "Devis des entreprises" in body
        assert '["rib"]' in body  # for the script that restores the stored choice
        assert stored(dossier, "documents_to_gather").value == ["rib"]

    def test_a_save_without_a_version_or_with_garbage_is_last_write_wins(self, client_as, dossier):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "needs", "Un", version=0)
        assert autosave(client, dossier, "needs", "Deux").status_code == 200
        assert autosave(client, dossier, "needs", "Trois", version="9" * 30).status_code == 200
        assert stored(dossier, "needs").value == "Trois"

    def test_the_page_gives_each_field_its_version(self, client_as, dossier):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "needs", "A", version=0)
        autosave(client, dossier, "needs", "B", version=1)
        page = client.get(dossier.get_absolute_url() + "?jalon=identifier").content.decode()
        assert 'name="_version_needs" value="2"' in page
        assert 'name="_version_social_situation" value="0"' in page

    def test_a_full_form_post_from_a_stale_tab_shows_both_texts_and_submits_nothing(
        self, client_as, dossier
    ):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "needs", "Écrit dans l'autre onglet", version=0)
        response = submit(client, dossier, dict(IDENTIFIER_OK, _version_needs="0"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "modifiés dans un autre onglet" in body
        assert "Écrit dans l&#x27;autre onglet" in body  # the stored text, in the panel
        assert IDENTIFIER_OK["needs"].replace("'", "&#x27;") in body  # mine, in the field
        assert 'name="_version_needs" value="1"' in body  # saving again keeps mine
        assert stored(dossier, "needs").value == "Écrit dans l'autre onglet"
        assert not Submission.objects.exists()


@pytest.mark.django_db
class TestLockedMilestone:
    def test_an_autosave_to_a_submitted_milestone_is_refused_in_french(self, client_as, dossier):
        client = client_as(dossier.trainee)
        autosave(client, dossier, "needs", "Avant", version=0)
        dossier.milestones.filter(milestone="identifier").update(status=MilestoneStatus.SUBMITTED)
        response = autosave(client, dossier, "needs", "Après", version=1)
        assert response.status_code == 409
        assert response["X-Save-Outcome"] == "locked"
        assert "ce jalon est soumis et n'est plus modifiable" in response.content.decode()
        assert stored(dossier, "needs").value == "Avant"

    def test_a_second_identical_submit_answers_like_the_first(self, client_as, dossier):
        client = client_as(dossier.trainee)
        first = submit(client, dossier, IDENTIFIER_OK)
        second = submit(client, dossier, IDENTIFIER_OK)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        # The first message is still pending in the session (no page shown in between).
        assert texts(second)[-1] == texts(first)[0]
        assert "soumis à votre formateur" in texts(first)[0]
        assert Submission.objects.count() == 1

    def test_a_different_post_to_a_submitted_milestone_is_refused_and_shows_what_was_typed(
        self, client_as, dossier
    ):
        client = client_as(dossier.trainee)
        submit(client, dossier, IDENTIFIER_OK)
        response = submit(client, dossier, dict(IDENTIFIER_OK, needs="Ajouté trop tard"))
        body = response.content.decode()
        assert response.status_code == 409
        assert "n&#x27;ont pas été enregistrées" in body
        assert "Vos saisies non enregistrées" in body and "Ajouté trop tard" in body
        assert stored(dossier, "needs").value == IDENTIFIER_OK["needs"]
        assert Submission.objects.get().answers["needs"] == IDENTIFIER_OK["needs"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_both_answer_like_the_first_and_keep_one_submission(dossier):
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(dossier.trainee)
        clients.append(client)
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def post(client):
        try:
            barrier.wait()
            responses.append(submit(client, dossier, IDENTIFIER_OK))
        except Exception as error:  # noqa: BLE001 - the test reports any error below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert texts(responses[0]) == texts(responses[1])
    assert "soumis à votre formateur" in texts(responses[0])[0]
    assert Submission.objects.count() == 1
    assert dossier.milestones.get(milestone="identifier").status == MilestoneStatus.SUBMITTED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_checks_never_exceed_the_case_studys_limit(dossier):
    case = dossier.case_study
    case.simulator_check_limit = 1
    case.save()
    clients = []
    for _ in range(3):
        client = Client()
        client.force_login(dossier.trainee)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []
    url = reverse("casestudies:check", args=[dossier.pk, "identifier"])

    def post(client):
        try:
            barrier.wait()
            statuses.append(client.post(url, {"_full": "1"}).status_code)
        except Exception as error:  # noqa: BLE001 - the test reports any error below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(statuses) == [200, 409, 409]
    assert dossier.milestones.get(milestone="identifier").checks_used == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_version", [None, 1])
def test_two_tabs_saving_one_field_at_once_give_one_save_and_one_conflict(dossier, first_version):
    """Same version sent by both tabs, at the same instant (first save, then an update)."""
    from casestudies.services import dossier_field_save

    if first_version:
        dossier_field_save(dossier=dossier, milestone="identifier", name="needs", values=["0"])
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def save(text):
        try:
            barrier.wait()
            outcomes.append(
                dossier_field_save(
                    dossier=dossier,
                    milestone="identifier",
                    name="needs",
                    values=[text],
                    version=first_version or 0,
                )
            )
        except Exception as error:  # noqa: BLE001 - the test reports any error below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("Onglet A", "Onglet B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    saved = [o for o in outcomes if o.conflict is None]
    conflicts = [o for o in outcomes if o.conflict is not None]
    assert (len(saved), len(conflicts)) == (1, 1)
    field = stored(dossier, "needs")
    assert field.value == conflicts[0].conflict.stored_value
    assert field.version == (first_version or 0) + 1
