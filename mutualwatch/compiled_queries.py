"""Read queries compiled to SQL once, then run with fresh parameters.

Django compiles a queryset to SQL each time it is evaluated. For the public pages' fixed
queries that took longer than the database took to answer them: a council's arrangements
took 0.33 ms to compile and 0.13 ms to run and fetch, and a council page runs nine queries.
A ``CompiledQuery`` is written as an ordinary ``values()`` or ``values_list()`` queryset; it
is compiled once per database connection, with a stand-in value for each parameter, and each
later run only puts the real values where the stand-ins were. Rows come back exactly as the
queryset gives them, through the same converters.

Parameters are single ids (``int``) or strings (``str``): a list would change the SQL with
its length, so a query over many records takes them by subquery instead.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

# Stand-ins no real query uses as a constant: ids within every integer column's range (Django
# turns an out-of-range integer into an empty query), and strings no form would send.
_INTEGER_STAND_IN = -2_147_000_000
_STRING_STAND_IN = "\ufffecompiled-query-parameter-{}"


class CompiledQueryError(Exception):
    """Raised at a query's first run when it cannot be compiled once for all values: a
    parameter of an unsupported type, or one whose stand-in does not reach the SQL as a
    parameter (the queryset used it to choose its SQL instead)."""


def _stand_in(name: str, kind: type, index: int) -> Any:
    if kind is int:
        return _INTEGER_STAND_IN - index
    if kind is str:
        return _STRING_STAND_IN.format(name)
    raise CompiledQueryError(f"parameter {name!r}: only int and str parameters can be compiled")


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, list[int]]  # parameter name: its positions in ``params``
    shape: type  # the queryset's iterable: dicts, tuples or single values
    names: list[str]


class CompiledQuery:
    """``build(**parameters)``, a ``values()`` or ``values_list()`` queryset, compiled once per
    connection and run as ``query(**parameters)``, which returns its rows as a list.

        arrangements_of = CompiledQuery(
            lambda authority_id: Arrangement.objects.filter(authority_id=authority_id).values(
                "pk", "start_date"
            ),
            authority_id=int,
        )
        arrangements_of(authority_id=7)
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **parameters: type) -> None:
        self.build = build
        self.parameters = parameters
        # Per connection: each thread has its own, and the compiler keeps the one it was
        # compiled for (its converters read it).
        self._local = threading.local()
        self._alias: str | None = None  # the database the queryset reads, once known

    def __call__(self, **values: Any) -> list[Any]:
        if values.keys() != self.parameters.keys():
            raise TypeError(f"expected the parameters {sorted(self.parameters)}")
        compiled = self._compiled()
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            for position in positions:
                params[position] = values[name]
        compiler = compiled.compiler
        with compiler.connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        converted = compiler.results_iter(results=[rows], tuple_expected=True)
        if compiled.shape is ValuesIterable:
            return [dict(zip(compiled.names, row, strict=True)) for row in converted]
        if compiled.shape is FlatValuesListIterable:
            return [row[0] for row in converted]
        return list(converted)

    def _compiled(self) -> _Compiled:
        compiled: _Compiled | None = getattr(self._local, "compiled", None)
        if (
            compiled is not None
            and self._alias is not None
            and compiled.compiler.connection is connections[self._alias]
        ):
            return compiled
        stand_ins = {
            name: _stand_in(name, kind, index)
            for index, (name, kind) in enumerate(self.parameters.items())
        }
        queryset = self.build(**stand_ins)
        self._alias = queryset.db
        shape = queryset._iterable_class  # how values() and values_list() differ
        if shape not in (ValuesIterable, ValuesListIterable, FlatValuesListIterable):
            raise CompiledQueryError("only values() and values_list() querysets are compiled")
        query = queryset.query
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = {
            name: [i for i, value in enumerate(params) if type(value) is type(v) and value == v]
            for name, v in stand_ins.items()
        }
        for name, positions in slots.items():
            if not positions:
                raise CompiledQueryError(
                    f"parameter {name!r} does not reach the SQL as a parameter: {sql}"
                )
        names = list(query.selected or [])
        if not names:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        compiled = _Compiled(compiler, sql, tuple(params), slots, shape, names)
        self._local.compiled = compiled
        return compiled
