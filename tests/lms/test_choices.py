"""Services refuse a choice value they do not know (a status, a profile, a decision), with a
French message naming the expected values, before anything is written (session 4 leftovers)."""

from django.core.exceptions import ValidationError

import pytest

from lms.choices import require_choice
from modules.models import Enrolment


def test_a_known_value_passes_and_an_unknown_one_names_the_expected_values():
    assert require_choice(
        "confirmed", Enrolment.Status, field="status", what="un statut connu"
    ) == ("confirmed")
    with pytest.raises(ValidationError) as error:
        require_choice("brouillon", Enrolment.Status, field="status", what="un statut connu")
    (message,) = error.value.message_dict["status"]
    assert message.startswith("« brouillon » n'est pas un statut connu. Valeurs possibles : ")
    assert f"« {Enrolment.Status.CONFIRMED.label} »" in message
    for bad in (None, 3, "", "CONFIRMED", "confirmed "):
        with pytest.raises(ValidationError):
            require_choice(bad, Enrolment.Status, field="status", what="un statut connu")
