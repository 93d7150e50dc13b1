"""``@record``: a frozen, slotted dataclass built faster.

Every simulation builds a few dozen immutable records (the parsed situation, the result and its
lines). A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses changes), which costs about four times a plain attribute store: with
thousands of simulations a second it was a tenth of the simulator's time. ``record`` keeps
everything ``@dataclass(frozen=True, slots=True)`` gives (immutability, equality, hash, repr,
fields, ``replace``) and only replaces ``__init__`` with one that stores each field through its
slot's descriptor, generated once per class.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True, slots=True)`` with a faster ``__init__`` (same signature)."""
    cls = dataclasses.dataclass(frozen=True, slots=True)(cls)
    if hasattr(cls, "__post_init__"):  # pragma: no cover - no record needs one
        raise TypeError(f"{cls.__name__}: a record has no __post_init__")
    env: dict[str, object] = {"_MISSING": dataclasses.MISSING}
    params: list[str] = []
    body: list[str] = []
    for i, f in enumerate(dataclasses.fields(cls)):
        if not f.init or f.kw_only:  # pragma: no cover - not used by the simulator's records
            raise TypeError(f"{cls.__name__}.{f.name}: a record's fields are positional")
        env[f"_set{i}"] = cls.__dict__[f.name].__set__  # the slot's member descriptor
        value = f.name
        if f.default is not dataclasses.MISSING:
            env[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_factory{i}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory{i}() if {f.name} is _MISSING else {f.name}"
        else:
            params.append(f.name)
        body.append(f"    _set{i}(self, {value})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["    pass"])
    exec(source, env)  # noqa: S102 - code built here from the dataclass's own field names
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    init.__module__ = cls.__module__  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls
