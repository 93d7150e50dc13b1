"""Property tests (hypothesis) of the trainee's check (casestudies.compare.check_feedback).

Whatever the trainee types and whatever the household: the fields listed depend on the form
only, an empty field is always "à compléter", and nothing shown depends on the simulator's
result except the agreement status (so no expected value can leak through a hint or a source).
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.compare import (
    AGREES,
    TO_COMPLETE,
    bareme_rules,
    check_feedback,
    compare_milestone,
)
from casestudies.forms import IdentifierForm, OrganiserForm
from casestudies.situations import GOLDEN_DIR, load_golden_case, simulate_case

PROPERTIES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMS = {"identifier": IdentifierForm, "organiser": OrganiserForm}


def _simulated():
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        situation = load_golden_case(path.stem)["situation"]
        filed_on = datetime.date.fromisoformat(str(situation.get("as_of", "2026-03-01")))
        try:
            cases.append((simulate_case(situation, filed_on=filed_on), situation, filed_on))
        except Exception:  # noqa: BLE001, S112 - a golden case that is not a simulable household
            continue
    return cases


CASES = _simulated()

amounts = st.one_of(
    st.just(""),
    st.just("0"),
    st.integers(0, 200_000).map(str),
    st.decimals(0, 100_000, places=2).map(lambda d: str(d).replace(".", ",")),
    st.text(max_size=12),
)
choices = st.sampled_from(["", "tres_modeste", "modeste", "intermediaire", "superieur",
                           "hors_idf", "idf", "A", "C", "D", "F", "G", "autre"])  # fmt: skip


def answers_for(milestone):
    form = FORMS[milestone]
    fields = {}
    for name, field in form.base_fields.items():
        if hasattr(field, "choices") and not hasattr(field, "min_value"):
            fields[name] = choices
        else:
            fields[name] = amounts
    return st.fixed_dictionaries({}, optional=fields)


def feedback(milestone, answers, case):
    result, situation, filed_on = case
    labels = {n: f.label for n, f in FORMS[milestone].base_fields.items()}
    comparisons = compare_milestone(milestone, answers, result, situation)
    return comparisons, check_feedback(comparisons, answers, labels, bareme_rules(filed_on))


@pytest.mark.parametrize("milestone", ["identifier", "organiser"])
@PROPERTIES
@given(data=st.data())
def test_listed_fields_depend_on_the_form_and_empty_fields_are_to_complete(milestone, data):
    case = data.draw(st.sampled_from(CASES))
    answers = data.draw(answers_for(milestone))
    _, empty = feedback(milestone, {}, case)
    comparisons, items = feedback(milestone, answers, case)
    assert [i.field for i in items] == [i.field for i in empty]
    ok = {c.field: c.ok for c in comparisons}
    for item in items:
        blank = not str(answers.get(item.field) or "").strip()
        assert (item.status == TO_COMPLETE) == blank
        if item.status == AGREES and item.field in ok:
            assert ok[item.field]
        if not item.rereads:
            continue
        assert item.status not in (AGREES, TO_COMPLETE)


@PROPERTIES
@given(data=st.data())
def test_nothing_but_the_status_depends_on_the_household(data):
    """Two households with the same filing date: the same answers give the same hints and
    sources field by field; only the statuses may differ."""
    first = data.draw(st.sampled_from(CASES))
    same_date = [c for c in CASES if c[2] == first[2]]
    second = data.draw(st.sampled_from(same_date))
    answers = data.draw(answers_for("organiser"))
    a = {i.field: i for i in feedback("organiser", answers, first)[1]}
    b = {i.field: i for i in feedback("organiser", answers, second)[1]}
    for name in a.keys() & b.keys():
        if a[name].status == b[name].status:
            assert (a[name].hint, a[name].rereads) == (b[name].hint, b[name].rereads)


def test_the_properties_run_over_many_households_and_dates():
    assert len(CASES) >= 20
    assert len({filed_on for _, _, filed_on in CASES}) >= 5
