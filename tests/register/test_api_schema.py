"""The API does what its OpenAPI document says: every documented operation is called, and
answers with a documented status and a body valid against the documented schema (JSON Schema,
the components resolved in the document itself). A bad value for each documented parameter
gets the documented 422."""

import pytest
from jsonschema import Draft202012Validator

from .conftest import certified

pytestmark = pytest.mark.django_db


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _validator(document, operation, status) -> Draft202012Validator:
    response = operation["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": document["components"]})


@pytest.fixture
def world(home_page, territory, structure):
    from tests.factories import TrainingSessionFactory, build_programme

    build_programme(home_page)
    TrainingSessionFactory(territory=territory, slug="session-du-monde")
    for consent in (True, True, False):
        certified(consent=consent, territory=territory, structure=structure)


PATH_VALUES = {"slug": "session-du-monde"}


def _url(path: str, **values) -> str:
    for name, value in {**PATH_VALUES, **values}.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, path
    return path


def test_every_documented_operation_answers_as_documented(client, world):
    document = _document(client)
    operations = list(_operations(document))
    assert {path for path, _, _ in operations} == {
        "/api/v1/ensembliers",
        "/api/v1/sessions",
        "/api/v1/sessions/{slug}",
        "/api/v1/chiffres",
    }
    for path, method, operation in operations:
        assert method == "get", (path, method)  # read-only
        response = client.get(_url(path))
        assert str(response.status_code) in operation["responses"], path
        assert response.status_code == 200, (path, response.content[:300])
        errors = list(_validator(document, operation, 200).iter_errors(response.json()))
        assert errors == [], (path, [error.message for error in errors])


def test_every_documented_parameter_refuses_a_bad_value_as_documented(client, world):
    document = _document(client)
    checked = 0
    for path, _, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            kinds = {option.get("type") for option in schema.get("anyOf", [schema])}
            bad = "pas-un-nombre" if "integer" in kinds else "x" * 300 + "!"
            if parameter["in"] == "path":
                response = client.get(_url(path, **{parameter["name"]: bad}))
            else:
                response = client.get(_url(path), {parameter["name"]: bad})
            assert response.status_code == 422, (path, parameter["name"], response.content[:200])
            assert "422" in operation["responses"]
            body = response.json()
            errors = list(_validator(document, operation, 422).iter_errors(body))
            assert errors == [], (path, [error.message for error in errors])
            assert [e["parametre"] for e in body["erreurs"]] == [parameter["name"]]
            checked += 1
    assert checked >= 11


def test_the_documented_404_is_answered_as_documented(client, world):
    document = _document(client)
    operation = document["paths"]["/api/v1/sessions/{slug}"]["get"]
    response = client.get(_url("/api/v1/sessions/{slug}", slug="inconnue"))
    assert response.status_code == 404
    assert list(_validator(document, operation, 404).iter_errors(response.json())) == []


def test_the_published_fields_are_exactly_the_five_facts_and_the_number(client, world):
    document = _document(client)
    ensemblier = document["components"]["schemas"]["Ensemblier"]
    assert set(ensemblier["properties"]) == {
        "numero",
        "nom",
        "territoire",
        "structure",
        "annee_certification",
        "statut",
    }
    row = client.get("/api/v1/ensembliers").json()["resultats"][0]
    assert set(row) == set(ensemblier["properties"])
    assert set(row["territoire"]) == {"slug", "nom"}
