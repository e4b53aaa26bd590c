"""The linker on Spark (local mode) decides as it does on DuckDB."""

import importlib.util
import os
import shutil

import pytest

from mutualwatch.matching.models import Link
from mutualwatch.matching.services import link_suppliers
from tests.demoworld.conftest import tiny_world  # noqa: F401
from tests.matching.test_linking import linked_world, standard  # noqa: F401


def require_spark() -> None:
    """PySpark and Java, which ``scripts/setup --spark`` installs: a skip without them, a
    failure under CI (which runs that setup)."""
    missing = [
        name
        for name, present in (
            ("pyspark", importlib.util.find_spec("pyspark") is not None),
            ("java", shutil.which("java") is not None),
        )
        if not present
    ]
    if not missing:
        return
    reason = f"the Spark backend needs {' and '.join(missing)} (scripts/setup --spark)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.mark.django_db(transaction=True)
def test_spark_links_the_world_as_duckdb_does(linked_world):  # noqa: F811
    require_spark()
    on_duckdb = dict(Link.objects.values_list("key", "number"))
    decisions = dict(Link.objects.values_list("key", "decision"))
    summary = link_suppliers(backend="spark", spark_master="local[2]")
    on_spark = dict(Link.objects.values_list("key", "number"))
    agree = sum(on_spark[key] == number for key, number in on_duckdb.items())
    print(f"\nSpark and DuckDB agree on {agree} of {len(on_duckdb)} links")
    assert summary.mentions > 0
    assert agree / len(on_duckdb) >= 0.99
    assert dict(Link.objects.values_list("key", "decision")).keys() == decisions.keys()
