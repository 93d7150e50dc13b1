"""Statistical secrecy of small counts (pure functions, no ORM).

The figures endpoint publishes, for every person certified (consenting or not), counts per
territory and year. A count of 1 or 2 next to a public register of names, a public session
calendar and local knowledge can point at one person who did not consent. So counts below
`threshold` (and above zero) are not published ("primary" secrecy), and more cells are hidden
when needed so that no hidden count can be worked out from the published national total
("secondary" secrecy): the hidden cells are never exactly one, and add up to at least
`threshold`, unless every non-zero cell is hidden already. docs/decisions.md, issue 17.
"""

from collections.abc import Hashable, Iterable, Mapping

SECRECY_THRESHOLD = 5


def secret_cells(
    counts: Mapping[Hashable, int],
    threshold: int = SECRECY_THRESHOLD,
    *,
    margins: Iterable[Iterable[Hashable]] = (),
) -> set:
    """The keys of `counts` whose value must not be published.

    The national total is always public; `margins` names the other groups of keys whose sum is
    published too (the certified per year, for instance). In each of them, as in the whole
    table, the hidden cells are never exactly one and add up to at least `threshold`, unless
    the group has no visible non-zero cell left to hide."""
    groups = [set(counts), *(set(group) & set(counts) for group in margins)]
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            inside = hidden & group
            if not inside or (len(inside) > 1 and sum(counts[key] for key in inside) >= threshold):
                continue
            # Visible non-zero cells, smallest first (ties in key order: a stable result).
            candidates = sorted(
                (key for key in group - hidden if counts[key] >= threshold),
                key=lambda key: (counts[key], repr(key)),
            )
            if candidates:
                hidden.add(candidates[0])
                changed = True
    return hidden
