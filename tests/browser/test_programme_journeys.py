import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import StructureFactory, TrainingSessionFactory
from tests.factories.modules import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "email;prenom;nom;telephone;structure;financeur\n"


def test_visitor_reads_the_programme_and_a_module_summary(page, home_page):
    build_programme(home_page)
    page.goto("/programme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Formation Ensemblier Solidaire")
    week1 = page.get_by_role("table", name="Semaine 1")
    expect(week1.get_by_role("row", name=re.compile("Jour 1"))).to_contain_text("Module 1")
    expect(page.get_by_role("table", name="Semaine 3")).to_contain_text("Module 12")
    week1.get_by_role("link", name="Module 1 — Titre du module 1").first.click()
    expect(page).to_have_url(re.compile(r"/programme/module-1/$"))
    expect(page.get_by_text("Résumé public du module 1.")).to_be_visible()
    expect(page.get_by_text("Contenu complet réservé du module 1.")).to_have_count(0)
    page.get_by_role("link", name="Se connecter pour lire le module").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next=/programme/module-1/"))


def test_trainer_fixes_a_bad_csv_line_and_imports(page, login, home_page, trainer, tmp_path):
    StructureFactory(name="CCAS de Laval")
    TrainingSessionFactory(
        name="Session de Laval",
        trainers=[trainer],
        week1_start=datetime.date(2026, 3, 2),
        generate_slots=False,
    )
    login(trainer)
    page.goto("/formation/inscriptions/import/")
    page.get_by_role("link", name="Importer dans Session de Laval").click()
    bad = tmp_path / "stagiaires.csv"
    bad.write_text(
        HEADER
        + "lucie.bonnet@exemple.fr;Lucie;Bonnet;;CCAS de Laval;TZEE\n"
        + "marc.vidal@exemple;Marc;Vidal;;;\n",
        encoding="utf-8",
    )
    page.get_by_label("Fichier CSV des stagiaires").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier et importer").click()
    report = page.get_by_role("alert").filter(has_text="rien n'a été importé")
    expect(report).to_contain_text("ligne 3, colonne email : adresse invalide")
    expect(page.get_by_text("Aucun inscrit pour le moment.")).to_be_visible()
    good = tmp_path / "stagiaires-corrige.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("@exemple;", "@exemple.fr;"))
    page.get_by_label("Fichier CSV des stagiaires").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(page.get_by_text("2 stagiaire(s) inscrit·e(s)")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Lucie Bonnet"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Marc Vidal"))).to_contain_text("Confirmé")
