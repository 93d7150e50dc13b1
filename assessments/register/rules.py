"""Statistical secrecy of small counts (pure functions, no ORM).

The figures endpoint publishes, for every person certified (consenting or not), counts per
territory and year. A count of 1 or 2 next to a public register of names, a public session
calendar and local knowledge can point at one person who did not consent. So counts below
`threshold` (and above zero) are not published ("primary" secrecy), and more cells — or a
margin, when its cells cannot hide each other — are hidden so that no hidden count can be
worked out from the published sums ("complementary" secrecy). docs/decisions.md, issue 17 and
session 5 (fix).

The published sums are the margins (say the certified per year), each over its own cells, and
the national total over every cell. Subtracting the visible margins from the national total
leaves one more sum: the cells of the hidden margins, and of no margin, pooled. So the
equations an attacker has are the visible margins and that pool, over disjoint cells. In each
of them the hidden cells are never exactly one and add up to at least `threshold`; a margin
whose hidden cells cannot be covered by one of its visible cells (a year with one territory)
is hidden itself, and its cells join the pool.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

SECRECY_THRESHOLD = 5


@dataclass(frozen=True)
class Secrecy:
    cells: frozenset  # keys of the counts not published
    margins: frozenset  # keys of the margins not published


def _covered(hidden: set, counts: Mapping, threshold: int) -> bool:
    """True when the hidden cells of one published sum pin none of them."""
    return not hidden or (len(hidden) > 1 and sum(counts[key] for key in hidden) >= threshold)


def _smallest(keys: Iterable, counts: Mapping):
    """The smallest count's key (ties in key order, for a stable result), or None."""
    return min(keys, key=lambda key: (counts[key], repr(key)), default=None)


def secrecy(
    counts: Mapping[Hashable, int],
    margins: Mapping[Hashable, Iterable[Hashable]] | None = None,
    threshold: int = SECRECY_THRESHOLD,
) -> Secrecy:
    """Which cells of `counts`, and which of the `margins` (disjoint groups of cells whose sums
    are published: margin key -> cell keys), must not be published. The national total (the
    sum of every cell) is always public."""
    margins = {name: set(cells) & set(counts) for name, cells in (margins or {}).items()}
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    hidden_margins: set = set()
    changed = bool(hidden)
    while changed:
        changed = False
        for name in sorted(set(margins) - hidden_margins, key=repr):
            cells = margins[name]
            if _covered(hidden & cells, counts, threshold):
                continue
            candidate = _smallest((key for key in cells - hidden if counts[key]), counts)
            if candidate is None:
                hidden_margins.add(name)  # nothing left to hide inside: the margin goes
            else:
                hidden.add(candidate)
            changed = True
        visible = set().union(*(margins[name] for name in set(margins) - hidden_margins))
        pool = set(counts) - visible
        if _covered(hidden & pool, counts, threshold):
            continue
        candidate = _smallest((key for key in pool - hidden if counts[key]), counts)
        if candidate is not None:
            hidden.add(candidate)
            changed = True
            continue
        # Bring another margin into the pool: the one with the smallest sum.
        sums = {
            name: sum(counts[key] for key in margins[name])
            for name in set(margins) - hidden_margins
            if any(counts[key] for key in margins[name])
        }
        name = _smallest(sums, sums)
        if name is not None:
            hidden_margins.add(name)
            changed = True
        # Else every non-zero cell is in the pool and hidden: the national total is all that
        # is published of them.
    return Secrecy(frozenset(hidden), frozenset(hidden_margins))


def secret_cells(counts: Mapping[Hashable, int], threshold: int = SECRECY_THRESHOLD) -> set:
    """The keys of `counts` not to publish when only the national total is published."""
    return set(secrecy(counts, threshold=threshold).cells)
