"""The situation authored as a form in the admin: round trip, every error at once, conditions,
the simulator's preview."""

import copy

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from casestudies.authoring import (
    CONDITIONS,
    EXTRA_FUNDING_ROWS,
    EXTRA_GESTURE_ROWS,
    FIELDS,
    FUNDER_LABELS,
    GESTURE_LABELS,
    path_label,
    rows_initial,
    shown_when,
    to_initial,
)
from casestudies.models import CaseStudyPage
from casestudies.seed import case_files, read_case_file
from casestudies.simulator.schemas import FUNDERS, GESTURE_CODES
from casestudies.situations import GOLDEN_DIR, load_golden_case, situation_problems
from tests.factories import CaseStudyPageFactory, golden_situation

pytestmark = pytest.mark.django_db


def situation_data(situation: dict, **changes) -> dict:
    """What the admin form posts for `situation`, as a trainer would leave it (blank rows
    included), with `changes` applied to the posted values."""
    data = {}
    for name, value in to_initial(situation).items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = str(value)
    gestures, funding = rows_initial(situation)
    for prefix, rows, extra in (
        ("situation-gestures", gestures, EXTRA_GESTURE_ROWS),
        ("situation-other_funding", funding, EXTRA_FUNDING_ROWS),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + extra)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = str(value)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def admin_form(situation: dict, **changes) -> dict:
    """The whole page form of a new case study with this situation."""
    return nested_form_data(
        {
            "title": "Ménage saisi dans l'administration",
            "slug": "menage-admin",
            "summary": "Un ménage.",
            "narrative": streamfield([("markdown", "Un récit.")]),
            "people": inline_formset([{"name": "Marie Dupont", "age": "70"}]),
            "documents": inline_formset([]),
            "legal_protection": "",
            "filed_on": situation.get("as_of", "2026-03-01"),
            "golden_case": "",
        }
    ) | situation_data(situation, **changes)


def add_url():
    index = CaseStudyPageFactory().get_parent()
    return reverse("wagtailadmin_pages:add", args=["casestudies", "casestudypage", index.pk])


def seeded_situations():
    return {
        path.stem: load_golden_case(read_case_file(path)["golden_case"])["situation"]
        for path in case_files()
    }


def all_golden_situations():
    return {
        path.stem: load_golden_case(path.stem)["situation"]
        for path in sorted(GOLDEN_DIR.glob("*.yaml"))
    }


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", sorted(seeded_situations()))
def test_each_seeded_case_loads_into_the_form_and_saves_back_unchanged(client_as, trainer, name):
    situation = seeded_situations()[name]
    response = client_as(trainer).post(add_url(), admin_form(situation))
    assert response.status_code == 302, response.context["form"].errors
    assert CaseStudyPage.objects.get(slug="menage-admin").situation == situation


def test_every_golden_case_round_trips_through_the_page_form(trainer):
    """The same round trip on every reference situation of the simulator (form only)."""
    from casestudies.authoring import CaseStudyPageForm

    parent = CaseStudyPageFactory().get_parent()
    form_class = CaseStudyPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, CaseStudyPageForm)
    for name, situation in all_golden_situations().items():
        form = form_class(
            data=admin_form(situation), instance=CaseStudyPage(), parent_page=parent,
            for_user=trainer,
        )  # fmt: skip
        assert form.is_valid(), (name, form.errors)
        assert form.instance.situation == situation, name


def test_the_edit_form_shows_the_stored_situation_in_french(client_as, trainer):
    page = CaseStudyPageFactory(
        situation=golden_situation("par-geste-2025-murs"), golden_case="par-geste-2025-murs"
    )
    body = client_as(trainer).get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
    body = body.decode()
    assert "Situation du ménage" in body
    assert 'name="household_reference_tax_income"' in body
    assert 'name="situation-gestures-0-code"' in body
    assert "Isolation des murs par l&#x27;extérieur" in body
    assert 'name="situation"' not in body  # no JSON to write


# --------------------------------------------------------------------------- errors


def test_every_error_is_shown_at_once_next_to_its_field(client_as, trainer):
    situation = golden_situation("par-geste-2025-murs")
    new_row = len(situation["project"]["gestures"])
    data = admin_form(
        situation,
        household_size="0",  # the form's bound
        household_reference_tax_income="12.500",  # ambiguous for the French parser
        home_department="999",  # the simulator's check
        home_dpe_before="C",
        home_dpe_after="F",  # the simulator's cross-field check
        **{
            f"situation-gestures-{new_row}-quantity": "3",  # a row started without its gesture
            "situation-other_funding-0-amount": "beaucoup",
            "situation-other_funding-0-funder": "ccas",
            "situation-other_funding-0-kind": "pret",
        },
    )
    response = client_as(trainer).post(add_url(), data)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors
    assert "supérieure ou égale à 1" in errors["household_size"][0]
    assert "ambigu" in errors["household_reference_tax_income"][0]
    assert "département" in errors["home_department"][0]
    assert "dpe_before" in errors["home_dpe_after"][0]
    gestures = form.situation_rows["gestures"].forms
    funding = form.situation_rows["other_funding"].forms
    assert gestures[new_row].errors["code"] == ["Ce champ est obligatoire pour cette ligne."]
    assert "amount" in funding[0].errors
    body = response.content.decode()
    assert "Ce champ est obligatoire pour cette ligne." in body
    assert "Corrigez les lignes signalées" in body
    assert not CaseStudyPage.objects.filter(slug="menage-admin").exists()
    # What was typed is shown back.
    assert 'value="12.500"' in body
    assert 'value="beaucoup"' in body


def test_a_duplicate_gesture_is_refused_on_its_row(client_as, trainer):
    situation = golden_situation("par-geste-2025-murs")
    code = situation["project"]["gestures"][0]["code"]
    extra = len(situation["project"]["gestures"])
    data = admin_form(situation, **{f"situation-gestures-{extra}-code": code})
    response = client_as(trainer).post(add_url(), data)
    assert response.status_code == 200
    row = response.context["form"].situation_rows["gestures"].forms[extra]
    assert "déjà saisi" in row.errors["code"][0]


def test_a_row_is_removed_by_ticking_delete(client_as, trainer):
    situation = golden_situation("par-geste-2025-murs")
    data = admin_form(situation, **{"situation-gestures-0-DELETE": "on"})
    assert client_as(trainer).post(add_url(), data).status_code == 302
    saved = CaseStudyPage.objects.get(slug="menage-admin").situation
    assert saved["project"]["gestures"] == situation["project"]["gestures"][1:]


# --------------------------------------------------------------------------- conditions


def test_hidden_fields_are_neither_checked_nor_stored(client_as, trainer):
    situation = golden_situation("par-geste-2025-murs")
    assert situation["project"]["route"] == "par_geste"
    data = admin_form(
        situation,
        project_mar_cost_ttc="n'importe quoi",  # shown for the parcours accompagné only
        household_gir="3",  # the autonomy section is switched off
        household_autonomy=None,
    )
    data.pop("household_autonomy", None)
    assert client_as(trainer).post(add_url(), data).status_code == 302
    saved = CaseStudyPage.objects.get(slug="menage-admin").situation
    assert "mar_cost_ttc" not in saved["project"]
    assert "gir" not in saved["household"]


def test_a_switched_section_is_stored_and_percentages_become_rates(client_as, trainer):
    situation = golden_situation("par-geste-2025-murs")
    data = admin_form(
        situation,
        household_autonomy="on",
        household_gir="3",
        household_disability_rate="80",
        project_vat_rate="10",
    )
    assert client_as(trainer).post(add_url(), data).status_code == 302
    saved = CaseStudyPage.objects.get(slug="menage-admin").situation
    assert saved["household"]["gir"] == 3
    assert saved["household"]["disability_rate"] == 0.8
    assert saved["project"]["vat_rate"] == 0.1


def test_conditions_use_wagtails_rules_controller():
    assert shown_when("project_mar_cost_ttc") == {
        "data-w-rules-target": "show",
        "data-w-rules": '{"project_route": ["ampleur"]}',
    }
    names = {field.name for field in FIELDS}
    assert set(CONDITIONS) <= names
    assert {by for by, _ in CONDITIONS.values()} <= names


def test_switches_start_on_when_the_situation_has_their_fields():
    situation = golden_situation("maprimeadapt-2025")
    initial = to_initial(situation)
    assert initial["household_autonomy"] is True
    assert initial["home_indignity"] is False


# --------------------------------------------------------------------------- labels, problems


def test_every_code_of_the_simulator_has_a_french_label():
    assert set(GESTURE_LABELS) == set(GESTURE_CODES)
    assert set(FUNDER_LABELS) == set(FUNDERS)


def test_paths_are_named_by_their_labels():
    assert path_label("project.vat_rate") == "Taux de TVA (%)"
    assert path_label("project.gestures[1].cost_ht") == "Geste 2, coût du geste (€ ht)"
    assert path_label("as_of") == "Date de dépôt du dossier"
    assert path_label("ailleurs") == "ailleurs"


def test_the_simulator_reports_every_problem_with_the_original_list_indexes():
    situation = copy.deepcopy(golden_situation("par-geste-2025-murs"))
    situation["household"]["size"] = 0
    situation["home"]["department"] = "999"
    situation["project"]["gestures"] = [
        {"code": "inconnu"},
        {"code": "fenetres", "quantity": -1},
        {"code": "fenetres"},
        {"code": "fenetres"},
    ]
    situation["other_funding"] = [{"funder": "ccas", "kind": "pret", "amount": -3}]
    paths = [p.path for p in situation_problems(situation, filed_on=None)]
    assert paths == [
        "household.size",
        "home.department",
        "project.gestures[0].code",
        "project.gestures[1].quantity",
        "project.gestures[3].code",
        "other_funding[0].amount",
    ]
    assert situation_problems(golden_situation(), filed_on=None) == []
    assert [p.path for p in situation_problems([], filed_on=None)] == ["(racine)"]


# --------------------------------------------------------------------------- preview


def test_the_admin_preview_shows_the_simulators_result_for_the_typed_situation(client_as, trainer):
    page = CaseStudyPageFactory(golden_case="cas-a-2026-tmo-f-c")
    client = client_as(trainer)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    situation = golden_situation("cas-a-2026-tmo-f-c")
    data = admin_form(situation, project_works_cost_ht="30 000") | {
        "title": page.title,
        "slug": page.slug,
    }
    response = client.post(url, data)
    assert response.json()["is_valid"] is True
    preview = client.get(url, {"mode": "simulateur"})
    body = preview.content.decode()
    assert "Résultat du simulateur" in body
    # The admin frames the preview: the site's policy, framed by our own origin only.
    policy = preview["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'unsafe-inline'" not in policy
    assert "MaPrimeRénov&#x27; Parcours accompagné" in body
    assert "Très modeste" in body
    # The preview reads what is typed, not what is stored.
    from lms.formats import format_euros

    assert format_euros(31650) in body  # 30 000 € HT at 5,5 %


def test_the_preview_of_an_invalid_situation_says_so_without_a_500(client_as, trainer):
    page = CaseStudyPageFactory(golden_case="cas-a-2026-tmo-f-c")
    client = client_as(trainer)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = admin_form(golden_situation(), home_department="999") | {
        "title": page.title,
        "slug": page.slug,
    }
    response = client.post(url, data)
    assert response.json()["is_valid"] is False
