"""Pages that records depend on cannot be deleted: the admin lists the dependents instead.

Records (half-days, attempts, dossiers…) point at pages (modules, assessments, case studies)
through foreign keys with `on_delete=PROTECT`. This module asks Django's deletion collector —
the same code that a delete would run — which records would block deleting a page or any of
its descendants, so that the rule lives in the foreign keys, not in a list kept here (and
`lms` imports no feature app). The Wagtail hooks in `lms/wagtail_hooks.py` answer the page
delete view and the bulk delete action with the list and an "unpublish instead" link.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from wagtail.models import Page

EXAMPLES_SHOWN = 10


@dataclass
class DependentGroup:
    """Records of one kind that depend on a page: e.g. 44 "modules des demi-journées"."""

    label: str
    count: int
    examples: list[str] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many are not shown as examples."""
        return self.count - len(self.examples)


def blocking_records(pages) -> list:
    """The records whose PROTECT/RESTRICT foreign keys forbid deleting `pages` and their
    descendants (model instances, in no particular order; empty when deletion is allowed)."""
    blocked: list = []
    for page in pages:
        tree = list(Page.objects.descendant_of(page, inclusive=True))
        collector = Collector(using=router.db_for_write(Page))
        try:
            collector.collect(tree)
        except ProtectedError as error:
            blocked.extend(error.protected_objects)
        except RestrictedError as error:
            blocked.extend(error.restricted_objects)
    return blocked


def dependent_groups(records) -> list[DependentGroup]:
    """Group blocking records by kind, with a count and a few examples each (sorted by label)."""
    by_model = defaultdict(list)
    for record in records:
        by_model[record._meta.verbose_name_plural].append(record)
    return [
        DependentGroup(
            label=str(label),
            count=len(items),
            examples=sorted(str(item) for item in items)[:EXAMPLES_SHOWN],
        )
        for label, items in sorted(by_model.items(), key=lambda pair: str(pair[0]))
    ]
