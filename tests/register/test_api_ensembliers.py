"""/api/v1/ensembliers: consenting certified people only, their five published facts, filters,
pagination, constant queries."""

import datetime

import pytest

from assessments.certification.models import Certification
from assessments.register.services import register_consent_set

from .conftest import certified

pytestmark = pytest.mark.django_db

URL = "/api/v1/ensembliers"


def test_lists_only_people_who_consented_with_only_the_published_fields(
    client, territory, structure
):
    listed = certified(
        consent=True,
        territory=territory,
        structure=structure,
        first_name="Élodie",
        last_name="Lefèvre",
    )
    certified(consent=False, territory=territory, first_name="Jean", last_name="Discret")
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1
    assert data["resultats"] == [
        {
            "numero": listed.number,
            "nom": "Élodie Lefèvre",
            "territoire": {"slug": "carcassonne-agglo", "nom": "Carcassonne Agglo"},
            "structure": "Soliha Aude",
            "annee_certification": listed.certified_on.year,
            "statut": "valide",
        }
    ]
    assert "Élodie Lefèvre".encode() in response.content  # UTF-8 as written, not \u escapes
    assert "Discret" not in response.content.decode()
    assert listed.trainee.email not in response.content.decode()


def test_withdrawal_removes_the_person_from_the_next_response(client, territory):
    listed = certified(consent=True, territory=territory, last_name="Retrait")
    assert client.get(URL).json()["total"] == 1
    register_consent_set(actor=listed.trainee, person=listed.trainee, listed=False)
    response = client.get(URL)
    assert response.json()["total"] == 0
    assert "Retrait" not in response.content.decode()


def test_revoked_certificates_are_listed_with_their_status_superseded_ones_are_not(
    client, territory
):
    revoked = certified(consent=True, territory=territory, last_name="Révoqué")
    Certification.objects.filter(pk=revoked.pk).update(status=Certification.Status.REVOKED)
    old = certified(consent=True, territory=territory, last_name="AncienNom")
    Certification.objects.filter(pk=old.pk).update(status=Certification.Status.SUPERSEDED)
    rows = client.get(URL).json()["resultats"]
    assert [(row["numero"], row["statut"]) for row in rows] == [(revoked.number, "revoque")]


def test_a_deactivated_account_is_not_listed(client, territory):
    listed = certified(consent=True, territory=territory)
    listed.trainee.is_active = False
    listed.trainee.save()
    assert client.get(URL).json()["total"] == 0


def test_a_consent_given_before_certification_counts_once_certified(client, trainee, territory):
    register_consent_set(actor=trainee, person=trainee, listed=True)
    assert client.get(URL).json()["total"] == 0
    certified_now = certified(consent=False, territory=territory)
    register_consent_set(actor=certified_now.trainee, person=certified_now.trainee, listed=True)
    assert client.get(URL).json()["total"] == 1


def test_filters_by_territory_year_structure_and_name(
    client, territory, other_territory, structure
):
    a = certified(
        consent=True,
        territory=territory,
        structure=structure,
        first_name="Élodie",
        last_name="Lefèvre",
        certified_on=datetime.date(2026, 3, 2),
    )
    b = certified(
        consent=True,
        territory=other_territory,
        first_name="Yann",
        last_name="Le Gall",
        certified_on=datetime.date(2027, 1, 15),
    )

    def numbers(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [row["numero"] for row in response.json()["resultats"]]

    assert numbers() == sorted([a.number, b.number])
    assert numbers(territoire="kreiz-breizh") == [b.number]
    assert numbers(annee=2026) == [a.number]
    assert numbers(annee=2028) == []
    assert numbers(structure="soliha") == [a.number]
    assert numbers(nom="elodie LEFEVRE") == [a.number]
    assert numbers(nom="lefèvre") == [a.number]
    assert numbers(nom="gall yann") == [b.number]
    assert numbers(nom="gall", territoire="carcassonne-agglo") == []
    assert numbers(territoire="inconnu") == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"annee": "deux-mille"}, "annee"),
        ({"annee": "99999999999999999999999999"}, "annee"),
        ({"annee": "1850"}, "annee"),
        ({"territoire": "pas un slug !"}, "territoire"),
        ({"nom": "a\x00b"}, "nom"),
        ({"nom": "x" * 201}, "nom"),
        ({"page": "0"}, "page"),
        ({"page": "9" * 30}, "page"),
        ({"par_page": "101"}, "par_page"),
    ],
)
def test_bad_filters_get_a_french_422(client, params, parameter):
    response = client.get(URL, params)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"].startswith("Paramètres invalides")
    assert [error["parametre"] for error in data["erreurs"]] == [parameter]


def test_pages_are_bounded_and_linked(client, territory):
    made = sorted(certified(consent=True, territory=territory).number for _ in range(5))
    first = client.get(URL, {"par_page": 2, "territoire": "carcassonne-agglo"}).json()
    assert (first["total"], first["pages"], first["page"], first["par_page"]) == (5, 3, 1, 2)
    assert [row["numero"] for row in first["resultats"]] == made[:2]
    assert first["precedente"] is None
    assert "page=2" in first["suivante"] and "territoire=carcassonne-agglo" in first["suivante"]
    second = client.get(first["suivante"]).json()
    assert [row["numero"] for row in second["resultats"]] == made[2:4]
    last = client.get(URL, {"par_page": 2, "page": 3}).json()
    assert last["suivante"] is None and len(last["resultats"]) == 1
    beyond = client.get(URL, {"par_page": 2, "page": 40}).json()
    assert beyond["resultats"] == [] and beyond["suivante"] is None
    assert "page=3" in beyond["precedente"]


def test_the_query_count_does_not_grow_with_the_rows(client, territory, django_assert_num_queries):
    def measured(queries, **params):
        client.get(URL, params)  # the site lookup is kept in shared memory after a first request
        with django_assert_num_queries(queries):
            return client.get(URL, params).json()

    # Every name holds "Martin": the search finds rows (an empty match reads no rows at all).
    certified(consent=True, territory=territory, last_name="Martin")
    assert measured(2)["total"] == 1
    assert measured(3, nom="martin")["total"] == 1  # the search reads the listed names once
    for _ in range(12):
        certified(consent=True, territory=territory, last_name="Martin")
    assert measured(2)["total"] == 13
    assert measured(3, nom="martin")["total"] == 13
