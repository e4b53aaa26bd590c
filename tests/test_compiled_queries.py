"""Queries compiled once give what their querysets give, for every value of their parameters."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.db.models import Q, Value

from mutualwatch.compiled_queries import CompiledQuery, CompiledQueryError
from mutualwatch.register.models import Arrangement, Authority, Provider
from tests.conftest import build_arrangement, build_authority, build_provider

pytestmark = pytest.mark.django_db


def arrangements_of(authority_id: int):
    return (
        Arrangement.objects.filter(authority_id=authority_id, state="published")
        .order_by("start_date", "pk")
        .values("pk", "start_date", "provider__uid", "provider__name")
    )


ARRANGEMENTS_OF = CompiledQuery(arrangements_of, authority_id=int)


def test_rows_equal_the_querysets_for_each_authority_with_converted_values():
    first, second, empty = build_authority(), build_authority(), build_authority()
    for day in (3, 1, 2):
        build_arrangement(authority=first, start_date=datetime.date(2015, 1, day))
    build_arrangement(authority=second)
    build_arrangement(authority=first, state="draft")
    for authority in (first, second, empty, first):  # the first again: compiled before
        rows = ARRANGEMENTS_OF(authority_id=authority.pk)
        assert rows == list(arrangements_of(authority.pk))
    rows = ARRANGEMENTS_OF(authority_id=first.pk)
    assert [row["start_date"].day for row in rows] == [1, 2, 3]
    # Converted as the queryset converts them: dates and UUIDs, on SQLite too.
    assert isinstance(rows[0]["start_date"], datetime.date)
    assert str(rows[0]["provider__uid"]) == str(
        Arrangement.objects.get(pk=rows[0]["pk"]).provider.uid
    )
    assert not isinstance(rows[0]["provider__uid"], str)


def test_a_parameter_used_twice_is_set_in_both_places():
    provider, other = build_provider(), build_provider()
    query = CompiledQuery(
        lambda name: (
            Provider.objects.filter(Q(name=name) | Q(former_names__name=name))
            .order_by("pk")
            .distinct()
            .values_list("pk", flat=True)
        ),
        name=str,
    )
    other.former_names.create(name=provider.name)
    assert sorted(query(name=provider.name)) == sorted([provider.pk, other.pk])
    assert query(name=other.name) == [other.pk]


def test_values_list_rows_are_tuples_and_a_query_without_parameters_runs():
    authority = build_authority()
    query = CompiledQuery(
        lambda: (
            Authority.objects.filter(pk__gte=authority.pk)
            .order_by("pk")
            .values_list("gss_code", Value(True))
        )
    )
    assert query() == [(authority.gss_code, True)]
    assert query() == list(
        Authority.objects.filter(pk__gte=authority.pk)
        .order_by("pk")
        .values_list("gss_code", Value(True))
    )


def test_the_query_is_compiled_once_per_connection_and_afresh_in_another_thread():
    authority = build_authority()
    build_arrangement(authority=authority)
    built = []

    def counting(authority_id: int):
        built.append(authority_id)
        return arrangements_of(authority_id)

    query = CompiledQuery(counting, authority_id=int)
    query(authority_id=authority.pk)
    query(authority_id=authority.pk)
    assert len(built) == 1
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return  # another thread's connection would be another, empty, database
    results = []

    def in_another_thread() -> None:
        # This thread's connection does not see the test's uncommitted records: compared
        # with the queryset run there.
        try:
            expected = list(arrangements_of(authority.pk))
            results.append(query(authority_id=authority.pk) == expected)
        finally:
            connections.close_all()

    thread = threading.Thread(target=in_another_thread)
    thread.start()
    thread.join()
    assert len(built) == 2  # compiled again for that thread's connection
    assert results == [True]


def test_parameters_it_cannot_compile_are_refused_clearly():
    authority = build_authority()
    with pytest.raises(CompiledQueryError, match="only int and str"):
        CompiledQuery(arrangements_of, authority_id=list)(authority_id=[authority.pk])
    # The value chose the SQL rather than reaching it: nothing to put the real value into.
    ignoring = CompiledQuery(
        lambda authority_id: Authority.objects.values_list("pk"), authority_id=int
    )
    with pytest.raises(CompiledQueryError, match="'authority_id' does not reach the SQL"):
        ignoring(authority_id=authority.pk)
    with pytest.raises(CompiledQueryError, match=r"values\(\) and values_list\(\)"):
        CompiledQuery(lambda: Authority.objects.all())()
    with pytest.raises(TypeError, match="authority_id"):
        ARRANGEMENTS_OF(gss_code="X")
