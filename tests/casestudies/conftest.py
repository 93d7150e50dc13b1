import pytest

from tests.factories import (
    CaseStudyPageFactory,
    DossierFactory,
    EnrolmentFactory,
    TrainingSessionFactory,
)


@pytest.fixture
def session(trainer):
    return TrainingSessionFactory(trainers=[trainer], generate_slots=False)


@pytest.fixture
def enrolled_trainee(trainee, session):
    EnrolmentFactory(trainee=trainee, session=session)
    return trainee


@pytest.fixture
def other_enrolled_trainee(other_trainee, session):
    EnrolmentFactory(trainee=other_trainee, session=session)
    return other_trainee


@pytest.fixture
def case_study(db):
    return CaseStudyPageFactory(title="Cas A", golden_case="cas-a-2026-tmo-f-c")


@pytest.fixture
def dossier(enrolled_trainee, case_study):
    return DossierFactory(trainee=enrolled_trainee, case_study=case_study)


# Right answers for cas A (cas-a-2026-tmo-f-c), as a trainee would type them.
IDENTIFIER_OK = {
    "income_category": "tres_modeste",
    "income_scale": "hors_idf",
    "social_situation": "Couple isolé, pas de dette.",
    "needs": "Avoir chaud l'hiver.",
    "trusted_third_party": "La fille du couple",
    "documents_to_gather": ["avis_imposition", "contrat_accompagnement"],
    "support_contract_signed": "on",
}
ORGANISER_OK = {
    "diagnosis": "Maison F, combles non isolés.",
    "dpe_before": "F",
    "dpe_after": "C",
    "works_cost_ht": "45 000",
    "gestures": "Isolation des combles : 8 000 €",
    "aid_mpr_accompagnee": "32 000",
    "aid_mar": "2 000",
    "other_funders": "",
    "loans": "",
    "reste_a_charge": "15 475",
    "reste_a_charge_pct": "32,6",
}
REALISER_OK = {
    "followup_checklist": ["reunion_lancement", "visites"],
    "reception": "sans_reserves",
    "reserves": "",
    "handover_notes": "Carnet d'entretien remis.",
    "eco_gestures": "Aérer 10 minutes par jour.",
}


@pytest.fixture
def answers_ok():
    return {"identifier": IDENTIFIER_OK, "organiser": ORGANISER_OK, "realiser": REALISER_OK}
