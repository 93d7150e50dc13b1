"""Whatever a client sends to the API or the consent page, nothing answers 500 (the style of
tests/robustness/): generated values in every documented parameter and in unknown ones, with
every method; generated choices posted to the consent page."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.register.models import RegisterConsentEvent
from tests.robustness.test_any_input import typed_values

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PATHS = ["/api/v1/ensembliers", "/api/v1/sessions", "/api/v1/chiffres"]
PARAMETERS = ["territoire", "annee", "structure", "nom", "page", "par_page", "autre"]


@EXAMPLES
@given(
    path=st.sampled_from(PATHS),
    params=st.dictionaries(st.sampled_from(PARAMETERS), typed_values, max_size=4),
    method=st.sampled_from(["get", "head", "post", "put", "delete", "options"]),
)
def test_generated_query_parameters_never_give_a_500(client, path, params, method):
    if method in ("get", "head", "options"):
        response = getattr(client, method)(path, params)
    else:
        response = getattr(client, method)(path, params, content_type="application/json")
    assert response.status_code < 500, (path, params, response.content[:300])
    if method == "get":
        assert response.status_code in (200, 422), (path, params, response.content[:300])
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 422:
            assert response.json()["detail"].startswith("Paramètres invalides")


@EXAMPLES
@given(value=typed_values)
def test_generated_session_slugs_never_give_a_500(client, value):
    from urllib.parse import quote

    response = client.get("/api/v1/sessions/" + quote(value, safe=""))
    assert response.status_code in (404, 422), (value, response.content[:300])


@EXAMPLES
@given(value=typed_values)
def test_generated_consent_choices_never_give_a_500(client_as, trainee, value):
    response = client_as(trainee).post("/compte/registre-public/", {"accord": value})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "Choisissez de donner ou de retirer votre accord." in response.content.decode()
        assert not RegisterConsentEvent.objects.filter(person=trainee, action="given").exists()
