"""Data migrations, run forwards on a database holding the rows of before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("procurement", "0005_ingest_run")]
AFTER = [("procurement", "0006_party_roles_column")]


@pytest.mark.django_db(transaction=True)
def test_role_rows_become_the_party_roles_column() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    process = old.get_model("procurement", "ProcurementProcess").objects.create(ocid="ocds-1")
    party_model = old.get_model("procurement", "Party")
    role_model = old.get_model("procurement", "PartyRole")
    buyer = party_model.objects.create(process=process, position=0, party_id="b", name="Council")
    supplier = party_model.objects.create(process=process, position=1, party_id="s", name="Acme")
    party_model.objects.create(process=process, position=2, party_id="n", name="No role")
    for party, role in [(buyer, "procuringEntity"), (buyer, "buyer"), (supplier, "a,b")]:
        role_model.objects.create(party=party, role=role)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("procurement", "Party")
    roles = dict(new.objects.values_list("party_id", "roles"))
    assert roles == {"b": ",buyer,procuringEntity,", "s": ",a b,", "n": ""}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_stored_json_is_compressed_with_lz4_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's column compression")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL was built without lz4")
        cursor.execute(
            "SELECT attrelid::regclass::text, attname, attcompression FROM pg_attribute "
            "WHERE attname IN ('canonical_json', 'compiled') AND attrelid::regclass::text IN "
            "('procurement_release', 'procurement_quarantinedrelease', "
            "'procurement_procurementprocess')"
        )
        found = {(table, column): method for table, column, method in cursor.fetchall()}
    assert found == {
        ("procurement_release", "canonical_json"): "l",
        ("procurement_quarantinedrelease", "canonical_json"): "l",
        ("procurement_procurementprocess", "compiled"): "l",
    }


# Written by every ingest: no index on them serves LIKE prefix searches, which nothing makes.
INGEST_TABLES = [
    "procurement_release",
    "procurement_procurementprocess",
    "procurement_tender",
    "procurement_lot",
    "procurement_party",
    "procurement_partyidentifier",
    "procurement_award",
    "procurement_awardsupplier",
    "procurement_contract",
    "procurement_amendment",
    "procurement_classification",
]


@pytest.mark.django_db
def test_tables_an_ingest_writes_have_no_like_indexes_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's LIKE indexes")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexdef LIKE '%%pattern_ops%%'",
            [INGEST_TABLES],
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'procurement_partyidentifier' "
            "AND indexdef LIKE '%%(identifier)'"
        )
        assert cursor.fetchone()[0] == 1  # its plain index stays
