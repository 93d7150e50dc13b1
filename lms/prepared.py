"""Queries that every page makes, compiled to SQL once per process (issue 12, session 5).

Building and compiling a queryset costs far more CPU than running it: a small query on an
indexed column takes a few hundredths of a millisecond in SQLite or PostgreSQL, while Django
spends about half a millisecond to a millisecond turning `filter(...)` into SQL, on every
request. For the few queries that the base layout makes on every page of a logged-in person
(their roles, their unread notifications), `Prepared` compiles the queryset once per database
connection alias, with placeholder values, and then runs the same SQL with the request's
values through the connection's cursor (counted by `assertNumQueries` like any other query).

Only for `values_list` / aggregate queries whose result needs no conversion by Django (text,
integers, counts, booleans read with `bool()`): the rows are the database driver's values.
A placeholder must appear exactly once among the compiled parameters; if it does not (a
query whose shape changed), the queryset is run through the ORM as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Values no real row id or parameter takes, standing for the arguments while compiling.
_PLACEHOLDERS = tuple(-7_301_234_001 - index for index in range(8))


class Prepared:
    """`Prepared(build)` where `build(*arguments)` returns the queryset; `rows(*arguments)`
    gives its rows as tuples. The arguments are integers (ids)."""

    def __init__(self, build: Callable[..., QuerySet], *, arguments: int = 1):
        if not 0 < arguments <= len(_PLACEHOLDERS):
            raise ValueError("between 1 and 8 arguments")
        self.build = build
        self.arguments = arguments
        self._compiled: dict[str, tuple[str, tuple, tuple[int, ...]] | None] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str):
        placeholders = _PLACEHOLDERS[: self.arguments]
        queryset = self.build(*placeholders)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        positions = []
        for placeholder in placeholders:
            found = [index for index, value in enumerate(params) if value == placeholder]
            if len(found) != 1:
                return None
            positions.append(found[0])
        return sql, tuple(params), tuple(positions)

    def rows(self, *arguments: int, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        if len(arguments) != self.arguments:
            raise TypeError(f"{self.arguments} argument(s) expected")
        if using not in self._compiled:
            with self._lock:
                if using not in self._compiled:
                    self._compiled[using] = self._compile(using)
        compiled = self._compiled[using]
        if compiled is None:
            return [tuple(row) for row in self.build(*arguments).using(using)]
        sql, params, positions = compiled
        values = list(params)
        for position, argument in zip(positions, arguments, strict=True):
            values[position] = int(argument)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()

    def clear(self) -> None:
        """Forget the compiled SQL (tests changing the database settings)."""
        with self._lock:
            self._compiled.clear()
