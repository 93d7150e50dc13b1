"""The OpenAPI document and the interactive documentation, served under the site's strict CSP
with assets from our own origin."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1.0"
    assert "/api/v1/ensembliers" in schema["paths"]
    assert set(schema["paths"]["/api/v1/ensembliers"]) == {"get"}


def test_the_docs_page_loads_only_local_assets_under_the_strict_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy


def test_the_public_site_links_to_the_api_documentation(client, home_page):
    for path in ("/", "/resultats/"):
        assert 'href="/api/v1/docs"' in client.get(path).content.decode(), path


def test_the_docs_page_says_its_language_and_has_a_main_landmark(client):
    body = client.get("/api/v1/docs").content.decode()
    assert '<html lang="fr">' in body
    assert '<main id="swagger-ui">' in body
