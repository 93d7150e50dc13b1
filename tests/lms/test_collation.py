"""French collation of people's names: case and accents do not decide the order."""

from hypothesis import given
from hypothesis import strategies as st

from lms.collation import collation_key, sorted_people


def test_names_sort_without_regard_to_case_or_accents():
    names = ["Zola", "émile", "Eymard", "de Gaulle", "Durand", "Éluard", "eluard", "Abel"]
    assert sorted(names, key=collation_key) == [
        "Abel",
        "de Gaulle",
        "Durand",
        "eluard",
        "Éluard",
        "émile",
        "Eymard",
        "Zola",
    ]


def test_people_sort_by_last_name_then_first_name():
    people = [("Martin", "Zoé"), ("martin", "Anne"), ("Lefèvre", "Jules")]
    assert sorted_people(people, lambda person: person) == [
        ("Lefèvre", "Jules"),
        ("martin", "Anne"),
        ("Martin", "Zoé"),
    ]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@given(words, words)
def test_changing_case_never_changes_the_order_of_two_different_words(a, b):
    if a != b:
        assert (collation_key(a) < collation_key(b)) == (
            collation_key(a.upper()) < collation_key(b)
        )


@given(words, words)
def test_an_accent_never_changes_the_order_of_two_different_words(a, b):
    accented = a.replace("e", "é").replace("a", "à").replace("c", "ç")
    if a != b:
        assert (collation_key(a) < collation_key(b)) == (collation_key(accented) < collation_key(b))
