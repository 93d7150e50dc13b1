"""The trainee's simulator check teaches without giving answers (issue 9, item 2).

Before review the check says per field only whether the value agrees and what to re-read; the
expected values, the gap and the trace appear to the trainee after the trainer's review and to
the trainer at any time; a case study may limit the number of checks per milestone.
"""

import re
from decimal import Decimal

from django.urls import reverse

import pytest

from casestudies import grading
from casestudies.compare import compare_milestone, format_euros, format_percent
from casestudies.forms import DPE_CLASSES, INCOME_CATEGORIES, INCOME_SCALES
from casestudies.situations import simulate_case

from .conftest import IDENTIFIER_OK, ORGANISER_OK

pytestmark = pytest.mark.django_db

CHOICES = INCOME_CATEGORIES + INCOME_SCALES + DPE_CLASSES


def check(client, dossier, milestone, answers=None):
    url = reverse("casestudies:check", args=[dossier.pk, milestone])
    return client.post(url, dict(answers or {}, _full="1"))


def expected_comparisons(dossier, milestone):
    case = dossier.case_study
    result = simulate_case(case.situation, filed_on=case.filed_on)
    return compare_milestone(milestone, {}, result, case.situation)


def spellings(comparison) -> set[str]:
    """Ways an expected value could be written in a page (amounts with any thousands mark)."""
    text = comparison.expected
    if comparison.field in ("dpe_before", "dpe_after"):
        return set()  # the home's energy labels are facts of the household, shown on its page
    forms = {text, text.replace("\u00a0€", "").replace("\u00a0%", "")}
    for form in list(forms):
        bare = form.replace("\u202f", "")
        forms |= {bare, form.replace("\u202f", " "), form.replace("\u202f", "\u00a0")}
    codes = [code for code, label in CHOICES if label == text]
    return {f for f in forms if f} | set(codes)


def test_a_check_on_an_empty_milestone_says_a_completer_and_shows_no_expected_value(
    client_as, dossier
):
    client = client_as(dossier.trainee)
    for milestone in ("identifier", "organiser"):
        response = check(client, dossier, milestone)
        body = response.content.decode()
        assert response.status_code == 200
        items = re.findall(r'class="comparison-item check-(\w+)', body)
        assert items and set(items) == {"a_completer"}, milestone
        assert "À compléter" in body
        for comparison in expected_comparisons(dossier, milestone):
            for text in spellings(comparison):
                assert text not in body, (milestone, comparison.field, text)
        assert "simulateur 3" not in body and "data-expected" not in body


def test_every_aid_is_listed_whether_the_household_gets_it_or_not(client_as, dossier):
    """Cas A gets MaPrimeRénov' accompagnée but not MaPrimeAdapt': both read the same."""
    body = check(client_as(dossier.trainee), dossier, "organiser").content.decode()
    granted = {c.field for c in expected_comparisons(dossier, "organiser")}
    assert "aid_mpr_accompagnee" in granted and "aid_mpa" not in granted
    for label in ("MaPrimeRénov&#x27; Parcours accompagné", "MaPrimeAdapt&#x27;",
                  "Ma Prime Logement Décent", "Certificats d&#x27;économies"):  # fmt: skip
        assert label in body


def test_a_disagreement_names_the_rule_and_source_to_reread_without_the_answer(client_as, dossier):
    answers = dict(ORGANISER_OK, aid_mpr_accompagnee="40 000", aid_mpa="0")
    body = check(client_as(dossier.trainee), dossier, "organiser", answers).content.decode()
    item = body.split("check-ecart")[1].split("</details>")[0]
    assert "MaPrimeRénov&#x27; Parcours accompagné" in item
    assert "À relire" in item and "Source :" in item
    assert "Taux de MaPrimeRénov&#x27; Parcours accompagné selon la catégorie" in item
    # The simulator's own trace names the category and the rate applied: never shown here.
    assert "Taux pour un gain de" not in body and "tres_modeste" not in body
    assert "32\u202f000" not in body and "32 000" not in body
    assert body.count("check-ecart") == 1
    assert "1 à revoir" in body
    # An aid the household does not get, proposed at 0, agrees.
    assert re.search(r"check-ok[^<]*<[^>]*>Concorde</span>\s*<strong>MaPrimeAdapt", body)


def test_an_unreadable_amount_is_said_unreadable_not_compared(client_as, dossier):
    answers = dict(ORGANISER_OK, reste_a_charge="quinze mille")
    body = check(client_as(dossier.trainee), dossier, "organiser", answers).content.decode()
    assert "check-illisible" in body and "Saisissez un nombre" in body


def test_right_answers_all_agree(client_as, dossier):
    body = check(client_as(dossier.trainee), dossier, "identifier", IDENTIFIER_OK)
    body = body.content.decode()
    assert "2 concordent avec le simulateur · 0 à revoir · 0 à compléter" in body


def _candidates(html: str) -> tuple[set[str], set[str]]:
    """Every number and every choice written anywhere in `html` (tags and attributes too).

    Random tokens (CSRF, htmx headers: long runs of letters and digits) are left out: the digits
    they happen to hold change on every run and would make the test flaky."""
    html = re.sub(r"[A-Za-z0-9_-]{32,}", " ", html)
    numbers = {
        match.strip()
        for match in re.findall(r"\d[\d \u00a0\u202f.]*(?:,\d+)?", html)
        if match.strip()
    }
    choices = {code for code, label in CHOICES if code in html or label in html}
    return numbers, choices


def test_a_trainee_who_copies_everything_the_check_shows_does_not_reach_full_agreement(
    client_as, dossier
):
    """The strongest copier: for each field, any number or choice the check ever showed that
    the simulator would accept. Nothing the check shows is an answer, so it stays far from 100 %."""
    client = client_as(dossier.trainee)
    posts = [
        ("organiser", {}),
        ("organiser", dict(ORGANISER_OK, reste_a_charge="1")),
        ("identifier", {}),
        ("identifier", {"income_category": "superieur"}),
    ]
    html = "".join(check(client, dossier, m, a).content.decode() for m, a in posts)
    numbers, choices = _candidates(html)
    case = dossier.case_study
    result = simulate_case(case.situation, filed_on=case.filed_on)
    for milestone in ("identifier", "organiser"):
        copied = {}
        for comparison in compare_milestone(milestone, {}, result, case.situation):
            pool = choices if comparison.field in (
                "income_category", "income_scale", "dpe_before", "dpe_after"
            ) else numbers  # fmt: skip
            for value in pool:
                trial = compare_milestone(
                    milestone, {comparison.field: value}, result, case.situation
                )
                if any(c.field == comparison.field and c.ok for c in trial):
                    copied[comparison.field] = value
                    break
        comparisons = compare_milestone(milestone, copied, result, case.situation)
        score = grading.automatic_score([c.ok for c in comparisons])
        assert score is not None and score < 100, (milestone, copied)
        if milestone == "organiser":
            amounts = [c for c in comparisons if c.field.startswith(("aid_", "reste"))]
            assert not any(c.ok for c in amounts), copied


def test_the_trainer_sees_the_expected_values_at_any_time(client_as, dossier, trainer):
    body = check(client_as(trainer), dossier, "organiser").content.decode()
    assert "simulateur 32\u202f000\u00a0€" in body
    assert "Taux pour un gain de 3 classes" in body


def _submit(client, dossier, milestone, answers):
    url = reverse("casestudies:submit", args=[dossier.pk, milestone])
    return client.post(url, dict(answers, action="submit"))


def test_the_trainee_sees_the_verdict_only_after_the_review(client_as, dossier, trainer):
    client = client_as(dossier.trainee)
    _submit(client, dossier, "organiser", dict(ORGANISER_OK, reste_a_charge="12 000"))
    page_url = dossier.get_absolute_url() + "?jalon=organiser"
    waiting = client.get(page_url).content.decode()
    assert "Le verdict du simulateur" not in waiting
    assert "accord avec le simulateur" not in waiting  # its share would count the granted aids
    assert "15\u202f475" not in waiting and "15 475" not in waiting
    assert "Le verdict du simulateur" in client_as(trainer).get(page_url).content.decode()

    from .test_review import RUBRIC_FULL, review_url

    client_as(trainer).post(
        review_url(dossier), dict(RUBRIC_FULL, decision="sent_back", comment="Revoyez le RAC.")
    )
    reviewed = client_as(dossier.trainee).get(page_url).content.decode()
    assert "Le verdict du simulateur sur la soumission du" in reviewed
    assert (
        "vous 12\u202f000\u00a0€ · simulateur 15\u202f475\u00a0€ · écart − 3\u202f475\u00a0€"
        in (reviewed)
    )
    assert "Reste à charge = coût TTC − subventions" in reviewed


def test_a_trainee_cannot_check_a_submitted_milestone(client_as, dossier):
    client = client_as(dossier.trainee)
    _submit(client, dossier, "identifier", IDENTIFIER_OK)
    response = check(client, dossier, "identifier")
    assert response.status_code == 409
    assert "Ce jalon est soumis" in response.content.decode()
    page = client.get(dossier.get_absolute_url() + "?jalon=identifier").content.decode()
    assert "Vérifier avec le simulateur" not in page


def test_the_case_study_limits_checks_per_milestone_and_says_how_many_remain(client_as, dossier):
    case = dossier.case_study
    case.simulator_check_limit = 2
    case.save()
    client = client_as(dossier.trainee)
    page_url = dossier.get_absolute_url() + "?jalon=organiser"
    assert "Il vous reste 2 vérifications" in client.get(page_url).content.decode()
    assert "Il vous reste 1 vérification " in check(client, dossier, "organiser").content.decode()
    last = check(client, dossier, "organiser").content.decode()
    assert "Plus aucune vérification possible" in last
    refused = check(client, dossier, "organiser")
    assert refused.status_code == 409
    assert "toutes les vérifications permises" in refused.content.decode()
    assert "concorde" not in refused.content.decode()
    page = client.get(page_url).content.decode()
    assert re.search(r"data-check[^>]*disabled", page, re.S)
    # Each milestone has its own count.
    assert "Il vous reste 1 vérification " in check(client, dossier, "identifier").content.decode()
    assert dossier.milestones.get(milestone="organiser").checks_used == 2


def test_without_a_limit_checks_are_not_limited_and_no_count_is_shown(client_as, dossier):
    client = client_as(dossier.trainee)
    for _ in range(4):
        body = check(client, dossier, "identifier").content.decode()
    assert "vérification" not in body.split("comparison-list")[1]
    assert "Il vous reste" not in client.get(dossier.get_absolute_url()).content.decode()


def test_the_check_limit_is_edited_in_the_wagtail_admin(client_as, trainer, case_study):
    response = client_as(trainer).get(reverse("wagtailadmin_pages:edit", args=[case_study.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="simulator_check_limit"' in body
    assert "Vide : illimité" in body


def test_gaps_are_signed_amounts():
    from casestudies.compare import _amount

    assert _amount("x", "X", Decimal(100), "150", ()).gap == f"+ {format_euros(Decimal(50))}"
    assert _amount("x", "X", Decimal(100), "100,5", ()).gap == ""
    pct = _amount("x", "X", Decimal(30), "20", (), percent=True)
    assert pct.gap == f"− {format_percent(Decimal(10))}"


def test_the_listed_fields_never_depend_on_the_answers():
    """Which fields the trainee check lists depends on the form only, not on the values."""
    from casestudies.compare import bareme_rules, check_feedback
    from casestudies.forms import OrganiserForm

    from .test_compare import golden

    labels = {n: f.label for n, f in OrganiserForm.base_fields.items()}
    listed = set()
    for name in ("cas-a-2026-tmo-f-c", "maprimeadapt-2025"):
        result, situation = golden(name)
        for answers in ({}, ORGANISER_OK, dict(ORGANISER_OK, aid_mpa="5 000")):
            comparisons = compare_milestone("organiser", answers, result, situation)
            feedback = check_feedback(comparisons, answers, labels, bareme_rules(result.as_of))
            listed.add(frozenset(f.field for f in feedback) - {"dpe_before", "dpe_after"})
    assert len(listed) == 1
    assert {"aid_mpa", "aid_mpld", "aid_cee", "reste_a_charge"} <= next(iter(listed))
