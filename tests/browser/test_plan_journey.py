"""The public financing plan in a real browser (issue 16): a plan reaches ≤ 10 % of reste à
charge by adding a caisse de retraite grant, then prints."""

import pytest
from playwright.sync_api import expect

from casestudies.plan import decode_situation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_plan_reaches_ten_percent_with_a_caisse_de_retraite_grant_and_prints(page, home_page):
    page.goto("/plan-de-financement/")
    page.get_by_label("Nombre de personnes du ménage").fill("2")
    page.get_by_label("Revenu fiscal de référence (€)").fill("24 000")
    page.get_by_label("Âge de la personne la plus âgée").fill("72")
    page.get_by_label("Département (numéro)").fill("11")
    page.get_by_label("Surface habitable (m²)").fill("90")
    page.get_by_label("Âge du logement (années)").fill("60")
    page.get_by_label("Étiquette DPE actuelle").select_option("F")
    page.get_by_label("Étiquette DPE visée après travaux").select_option("C")
    page.get_by_label("Rénovation d'ampleur (parcours accompagné)").check()
    page.get_by_label("Coût de tous les travaux (€ HT)").fill("45 000")
    page.get_by_label("Nombre de gestes d'isolation").fill("3")
    page.get_by_label("Un chauffage au fioul ou au gaz est conservé").select_option("non")
    page.get_by_role("button", name="Calculer le plan").click()
    page.wait_for_load_state()

    objective = page.get_by_test_id("objectif")
    expect(objective).to_contain_text("il manque")
    gap = page.get_by_test_id("ecart").inner_text()  # "7 116,25 €"
    assert "s=" in page.url

    page.get_by_label("Financeur (ligne 1)").select_option("caisse_retraite")
    page.get_by_label("Montant (€) (ligne 1)").fill(gap.replace("€", "").strip())
    page.get_by_role("button", name="Calculer le plan").click()
    page.wait_for_load_state()

    expect(page.get_by_test_id("objectif")).to_contain_text("atteint")
    pct = page.get_by_test_id("reste-a-charge-pct").inner_text()
    assert float(pct.replace("%", "").replace(",", ".").replace("\u202f", "").strip()) <= 10
    expect(page.locator(".plan-funding")).to_contain_text("Caisse de retraite")
    token = page.url.split("s=")[1].split("#")[0]
    assert decode_situation(token)["other_funding"][0]["funder"] == "caisse_retraite"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le plan (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "plan-de-financement.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # The share link opens the same plan for someone else (no storage, no account).
    page.context.clear_cookies()
    page.goto(f"/plan-de-financement/?s={token}")
    expect(page.get_by_test_id("reste-a-charge-pct")).to_have_text(pct)
