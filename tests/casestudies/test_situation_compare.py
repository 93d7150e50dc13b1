"""The revision comparison of a case study shows what changed in the household's situation
(Wagtail's "Comparer"; casestudies/situation_compare.py)."""

import copy

from django.urls import reverse

import pytest

from casestudies.models import CaseStudyPage
from casestudies.situation_compare import SituationComparison, situation_lines
from tests.factories import CaseStudyPageFactory, golden_situation

pytestmark = pytest.mark.django_db

SITUATION_FIELD = CaseStudyPage._meta.get_field("situation")


def _changed(situation):
    changed = copy.deepcopy(situation)
    changed["household"]["size"] = situation["household"]["size"] + 1
    changed["other_funding"] = [
        {"funder": "caisse_retraite", "kind": "subvention", "amount": 1500, "label": "CARSAT"}
    ]
    return changed


def test_the_situation_reads_as_the_form_shows_it():
    situation = golden_situation("cas-a-2026-tmo-f-c")
    lines = {label: value for _key, label, value in situation_lines(situation)}
    assert lines["Nombre de personnes du ménage"] == str(situation["household"]["size"])
    per_gesture = {
        label: value
        for _k, label, value in situation_lines(golden_situation("par-geste-2025-murs"))
    }
    assert "Isolation" in per_gesture["Geste 1"] and "€ HT" in per_gesture["Geste 1"]
    unknown = {**situation, "ailleurs": {"cle": True}}
    assert ("path-ailleurs.cle", "ailleurs.cle", "true") in situation_lines(unknown)


def test_the_comparison_lists_only_the_changed_answers_old_and_new():
    situation = golden_situation("cas-a-2026-tmo-f-c")
    a = CaseStudyPage(situation=situation)
    b = CaseStudyPage(situation=_changed(situation))
    comparison = SituationComparison(SITUATION_FIELD, a, b)
    assert comparison.has_changed()
    html = str(comparison.htmldiff())
    size = situation["household"]["size"]
    assert (
        f'<dt>Nombre de personnes du ménage</dt><dd><span class="deletion">{size}</span> → '
        f'<span class="addition">{size + 1}</span></dd>'
    ) in html
    assert "Financement 1" in html and "1\u202f500 €" in html and "CARSAT" in html
    assert "Revenu fiscal de référence" not in html  # unchanged
    same = SituationComparison(
        SITUATION_FIELD, a, CaseStudyPage(situation=copy.deepcopy(situation))
    )
    assert not same.has_changed()


def test_the_admin_compare_view_shows_the_situation_changes(client_as, superuser):
    page = CaseStudyPageFactory()
    first = page.save_revision()
    page.situation = _changed(page.situation)
    second = page.save_revision()
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk])
    response = client_as(superuser).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Situation du ménage" in html
    assert "Nombre de personnes du ménage" in html
    assert '<span class="addition">' in html and "CARSAT" in html
