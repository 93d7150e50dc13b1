"""Wagtail's reference index learns which half-days name a module.

`SessionSlot.modules` rows are `SessionSlotModule` objects, registered with the reference index
so that a module page's "référencé N fois" counts its half-days. `slot.modules.set()` writes
them with `bulk_create` and queryset deletes, which send no `post_save`/`post_delete`, so the
index is kept up to date from `m2m_changed` here.
"""

from django.db.models.signals import m2m_changed

from wagtail.models import ReferenceIndex

from .models import SessionSlot, SessionSlotModule


def _index_slot_modules(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # module.session_slots.add(...): the instance is a module page.
        rows = SessionSlotModule.objects.filter(modulepage=instance)
        if pk_set is not None:
            rows = rows.filter(sessionslot_id__in=pk_set)
    else:
        rows = SessionSlotModule.objects.filter(sessionslot=instance)
        if pk_set is not None:
            rows = rows.filter(modulepage_id__in=pk_set)
    if action == "post_add":
        for row in rows:
            ReferenceIndex.create_or_update_for_object(row)
    elif action in ("pre_remove", "pre_clear"):
        for row in rows:
            ReferenceIndex.remove_for_object(row)


def register_references() -> None:
    ReferenceIndex.register_model(SessionSlotModule)
    m2m_changed.connect(
        _index_slot_modules,
        sender=SessionSlot.modules.through,
        dispatch_uid="modules.index_slot_modules",
    )
