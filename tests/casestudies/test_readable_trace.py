"""What the trainee reads of the simulator's trace names things, never shows codes."""

import datetime

from casestudies.compare import readable
from casestudies.simulator import parse_situation, simulate
from tests.factories.casestudies import golden_situation


def test_income_category_codes_become_the_forms_labels():
    assert (
        readable("Forfait pompe à chaleur (tres_modeste)")
        == "Forfait pompe à chaleur (très modeste)"
    )
    assert readable("Prise en charge MAR (intermediaire)") == "Prise en charge MAR (intermédiaire)"
    assert readable("Geste chaudiere_bois_automatique") == "Geste chaudiere bois automatique"
    assert readable("Revenu modeste du ménage") == "Revenu modeste du ménage"


def test_no_trace_line_of_a_golden_case_keeps_a_code():
    from casestudies.compare import _trace

    situation = golden_situation()
    result = simulate(parse_situation(situation), as_of=datetime.date(2026, 3, 1))
    steps = [step for aid in result.aids for step in getattr(aid, "trace", ())]
    steps += list(result.category_trace)
    for line in _trace(steps):
        assert "tres_modeste" not in line.rule + line.value
        assert "_" not in line.rule
