"""What every API response shares: ETag and 304, no stale copy, throttling per client (429),
CORS for read-only use, GET/HEAD/OPTIONS only."""

import pytest

from assessments.register.services import register_consent_set

from .conftest import certified

pytestmark = pytest.mark.django_db

URL = "/api/v1/ensembliers"


def test_etag_gives_304_until_the_data_changes(client, territory):
    listed = certified(consent=True, territory=territory)
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert "no-cache" in first["Cache-Control"]
    again = client.get(URL, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    register_consent_set(actor=listed.trainee, person=listed.trainee, listed=False)
    after = client.get(URL, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert after.json()["total"] == 0


ENDPOINTS = ["/api/v1/ensembliers", "/api/v1/sessions", "/api/v1/chiffres"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_304_reads_nothing_from_the_database(client, territory, url, django_assert_num_queries):
    for _ in range(3):
        certified(consent=True, territory=territory)
    etag = client.get(url)["ETag"]
    client.get(url, headers={"if-none-match": etag})  # warm (the site lookup, say)
    with django_assert_num_queries(0):
        again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    assert "no-cache" in again["Cache-Control"]


def test_every_change_the_answers_show_changes_the_etag(client, territory):
    listed = certified(consent=True, territory=territory)
    etags = [client.get(URL)["ETag"]]
    listed.trainee.structure = None
    listed.trainee.first_name = "Renée"
    listed.trainee.save()
    etags.append(client.get(URL)["ETag"])
    territory.name = "Carcassonne Agglomération"
    territory.save()
    etags.append(client.get(URL)["ETag"])
    listed.holder_name = "Renée Autre"
    listed.save()
    etags.append(client.get(URL)["ETag"])
    register_consent_set(actor=listed.trainee, person=listed.trainee, listed=False)
    etags.append(client.get(URL)["ETag"])
    assert len(set(etags)) == len(etags)
    # Another address, or other parameters, another ETag.
    assert client.get(URL, {"annee": 2026})["ETag"] != etags[-1]


def test_the_etag_moves_with_the_day(client, territory, settings, monkeypatch):
    import datetime

    from django.utils import timezone

    certified(consent=True, territory=territory)
    etag = client.get("/api/v1/chiffres")["ETag"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get("/api/v1/chiffres", headers={"if-none-match": etag}).status_code == 200


def test_head_answers_like_get(client, territory):
    certified(consent=True, territory=territory)
    get, head = client.get(URL), client.head(URL)
    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_in_french(client, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert "lecture seule" in response.json()["detail"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_options_lists_the_allowed_methods(client):
    response = client.options(URL)
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_throttling_per_client_answers_429_in_french(client, settings):
    settings.API_THROTTLE_RATE = "3/min"
    statuses = [client.get(URL, REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(URL, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Trop de requêtes")
    assert int(refused["Retry-After"]) >= 1
    # Another client is counted apart.
    assert client.get(URL, REMOTE_ADDR="203.0.113.6").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.API_THROTTLE_RATE = "2/min"
    statuses = [
        client.get(URL, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_cors_lets_any_site_read_without_credentials(client):
    response = client.get(URL, headers={"origin": "https://carte.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cors_preflight_allows_reads_only(client):
    response = client.options(
        URL,
        headers={
            "origin": "https://carte.example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_cors_stays_off_the_rest_of_the_site(client):
    response = client.get("/resultats/", headers={"origin": "https://carte.example.org"})
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/v1/", "/api/v1/inconnu", "/api/v1/ensembliers/", "/api/v1/ensembliers/1",
     "/api/v2/ensembliers", "/api/v1/%C3%A9"],
)  # fmt: skip
def test_unknown_api_addresses_get_a_french_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("Introuvable")


def test_the_json_404_leaves_the_endpoints_alone(client):
    assert client.get("/api/v1/ensembliers").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
