"""Statistical secrecy of small counts (pure functions, no ORM).

The figures endpoint publishes, for every person certified (consenting or not), counts per
territory and year. A count of 1 or 2 next to a public register of names, a public session
calendar and local knowledge can point at one person who did not consent. So counts below
`threshold` (and above zero) are not published ("primary" secrecy), and more cells are hidden
when needed so that no hidden count can be worked out from the published national total
("secondary" secrecy): the hidden cells are never exactly one, and add up to at least
`threshold`, unless every non-zero cell is hidden already. docs/decisions.md, issue 17.
"""

from collections.abc import Hashable, Mapping

SECRECY_THRESHOLD = 5


def secret_cells(counts: Mapping[Hashable, int], threshold: int = SECRECY_THRESHOLD) -> set:
    """The keys of `counts` whose value must not be published."""
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    # Visible non-zero cells, smallest first (ties in key order, so the result is stable).
    candidates = sorted(
        (key for key, count in counts.items() if count >= threshold),
        key=lambda key: (counts[key], repr(key)),
    )
    while hidden and (len(hidden) == 1 or sum(counts[key] for key in hidden) < threshold):
        if not candidates:
            break
        hidden.add(candidates.pop(0))
    return hidden
