"""The seed: nine households on golden cases, idempotent, and strict case files."""

import datetime

import pytest

from casestudies import seed as seed_module
from casestudies.models import CaseStudyIndexPage, CaseStudyPage, LegalProtection
from casestudies.seed import CaseFileError, read_case_file, seed
from casestudies.situations import load_golden_case

pytestmark = pytest.mark.django_db


def test_seed_creates_the_index_and_at_least_eight_live_case_studies(home_page):
    seed()
    index = CaseStudyIndexPage.objects.get()
    assert index.url == "/cas-pratiques/"
    pages = CaseStudyPage.objects.live().child_of(index)
    assert pages.count() >= 8
    seed()
    assert CaseStudyPage.objects.count() == pages.count()


def test_each_seeded_situation_is_its_golden_case(home_page):
    seed()
    for page in CaseStudyPage.objects.all():
        golden = load_golden_case(page.golden_case)
        assert page.situation == golden["situation"]
        assert page.filed_on == datetime.date.fromisoformat(golden["situation"]["as_of"])


def test_the_seed_covers_the_required_households(home_page):
    seed()
    pages = list(CaseStudyPage.objects.all())
    golden = {p.golden_case for p in pages}
    assert {"logement-decent-2024", "maprimeadapt-2025", "plafond-exact-2026-hors-idf"} <= golden
    assert {"bonus-passoire-2025-avant-30-septembre",
            "bonus-passoire-supprime-2025-apres-30-septembre"} <= golden  # fmt: skip
    assert any(p.legal_protection == LegalProtection.CURATELLE_RENFORCEE for p in pages)
    assert any("auto-réhabilitation" in p.title.lower() for p in pages)
    assert any(p.household_facts["size"] >= 3 for p in pages), "a family with children"
    assert any(
        p.household_facts["size"] == 1
        and p.home_facts.get("dpe_before") in ("F", "G")
        and any((person.age or 0) >= 70 for person in p.people.all())
        for p in pages
    ), "an elderly person alone in an F/G house"
    assert all(p.documents.count() >= 2 for p in pages)


def test_a_case_file_naming_a_missing_golden_case_is_refused_with_file_and_key(tmp_path):
    path = tmp_path / "mauvais.yaml"
    path.write_text(
        "slug: x\ntitle: X\ngolden_case: inexistant\nsummary: s\nnarrative: n\n", "utf-8"
    )
    with pytest.raises(CaseFileError, match=r"mauvais.yaml, clé golden_case"):
        read_case_file(path)


def test_a_case_file_missing_a_key_or_broken_yaml_is_refused(tmp_path):
    path = tmp_path / "incomplet.yaml"
    path.write_text("slug: x\ntitle: X\n", "utf-8")
    with pytest.raises(CaseFileError, match=r"incomplet.yaml, clé golden_case"):
        read_case_file(path)
    path.write_text("slug: [x\n", "utf-8")
    with pytest.raises(CaseFileError, match=r"incomplet.yaml, ligne \d+"):
        read_case_file(path)


def test_every_shipped_case_file_is_valid():
    files = seed_module.case_files()
    assert len(files) >= 8
    for path in files:
        read_case_file(path)


def test_wrapped_yaml_paragraphs_are_joined_and_list_items_kept():
    from casestudies.seed import unwrap

    text = "Aminata et Moussa\nont acheté.\n\n- Retraite : 2 300 €\n  par mois.\n- RFR : 30 000 €."
    assert unwrap(text) == (
        "Aminata et Moussa ont acheté.\n\n- Retraite : 2 300 € par mois.\n- RFR : 30 000 €."
    )


def test_the_demo_trainee_gets_a_dossier_with_identifier_submitted_once(home_page):
    from casestudies.models import Dossier, MilestoneStatus
    from tests.factories import EnrolmentFactory, TraineeFactory

    trainee = TraineeFactory(email="stagiaire@ensemblier.example")
    seed()
    assert not Dossier.objects.exists(), "no dossier for a trainee without enrolment"
    EnrolmentFactory(trainee=trainee)
    seed()
    seed()
    dossier = Dossier.objects.get()
    states = dict(dossier.milestones.values_list("milestone", "status"))
    assert states["identifier"] == MilestoneStatus.SUBMITTED
    assert states["organiser"] == MilestoneStatus.IN_PROGRESS
    assert dossier.fields.filter(milestone="organiser").exists()
    assert "\n" not in dossier.fields.get(name="social_situation").value
