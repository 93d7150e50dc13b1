"""French wording rules: elision of "de" before names, plurals after a count."""

from decimal import Decimal

from django.template import Context, Template

import pytest

from lms.wording import de, elides, plural


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Inès Abadie", "d'Inès Abadie"),
        ("Élodie Roux", "d'Élodie Roux"),
        ("Œdipe", "d'Œdipe"),
        ("Hugo Petit", "d'Hugo Petit"),
        ("Yves Morel", "d'Yves Morel"),
        ("Yasmine Benali", "de Yasmine Benali"),
        ("Yann Le Goff", "de Yann Le Goff"),
        ("Camille Martin", "de Camille Martin"),
        ("  Ahmed ", "d'Ahmed"),
        ("", "de "),
    ],
)
def test_de_elides_before_a_vowel_sound(name, expected):
    assert de(name) == expected


def test_a_name_starting_with_a_digit_or_a_symbol_does_not_elide():
    assert not elides("42")
    assert not elides("«")


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, ""), (1, ""), (Decimal("1.5"), ""), (2, "s"), (-3, "s"), (12, "s"), ("abc", "")],
)
def test_plural_follows_the_french_rule(count, expected):
    assert plural(count) == expected


def test_plural_with_both_forms_and_a_list():
    assert plural(1, "al,aux") == "al"
    assert plural(4, "al,aux") == "aux"
    assert plural([1, 2], "nt") == "nt"
    assert plural([1], "nt") == ""


def test_template_filters():
    rendered = Template(
        "{% load lms_tags %}{{ n }} jalon{{ n|pluriel }} · Dossier {{ name|de }}"
    ).render(Context({"n": 0, "name": "Inès Abadie"}))
    assert rendered == "0 jalon · Dossier d'Inès Abadie"


def test_the_de_filter_escapes_the_name():
    rendered = Template("{% load lms_tags %}{{ name|de }}").render(Context({"name": "<b>Inès</b>"}))
    assert rendered == "de &lt;b&gt;Inès&lt;/b&gt;"


@pytest.mark.django_db
def test_wagtails_login_page_is_in_french(client):
    import re

    body = client.get("/admin/login/").content.decode()
    visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", body, flags=re.S)
    assert "Mot de passe" in visible
    for english in ("Password", "Sign in", "Remember me", "Forgotten password"):
        assert english not in visible, english


def test_a_moment_reads_in_french_in_paris_time():
    import datetime

    from lms.formats import format_moment

    moment = datetime.datetime(2026, 3, 1, 8, 4, tzinfo=datetime.UTC)
    assert format_moment(moment) == "1er mars 2026 à 9 h 04"
    assert format_moment(None) == ""
    rendered = Template("{% load lms_tags %}Soumis le {{ m|le_a }}").render(Context({"m": moment}))
    assert rendered == "Soumis le 1er mars 2026 à 9 h 04"
