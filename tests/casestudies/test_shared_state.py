"""Data read once per process is shared by every thread of a worker: callers get copies."""

from casestudies.milestones import Milestone
from casestudies.rubrics import load_rubrics, rubric_for
from casestudies.situations import GOLDEN_DIR, load_golden_case


def test_changing_a_rubric_never_changes_the_next_readers():
    mine = rubric_for(Milestone.IDENTIFIER)
    expected = [dict(criterion) for criterion in mine]
    mine[0]["key"] = "changé"
    mine.append({"key": "ajouté"})
    load_rubrics()[Milestone.IDENTIFIER.value].clear()
    assert rubric_for(Milestone.IDENTIFIER) == expected


def test_changing_a_golden_case_never_changes_the_next_readers():
    name = sorted(GOLDEN_DIR.glob("*.yaml"))[0].stem
    mine = load_golden_case(name)
    original = load_golden_case(name)
    mine["situation"]["as_of"] = "1999-01-01"
    mine.clear()
    assert load_golden_case(name) == original
