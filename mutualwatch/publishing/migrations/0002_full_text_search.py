"""Full-text search over SearchDocument: an FTS5 table kept in step by triggers on SQLite, an
expression GIN index on PostgreSQL. The queries in publishing/search.py match these."""

from django.db import migrations

from mutualwatch.publishing.migrations._vendor_sql import vendor_sql

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE publishing_search_fts USING fts5("
    "title, body, content='publishing_searchdocument', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER publishing_search_fts_insert AFTER INSERT ON publishing_searchdocument BEGIN "
    "INSERT INTO publishing_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER publishing_search_fts_delete AFTER DELETE ON publishing_searchdocument BEGIN "
    "INSERT INTO publishing_search_fts(publishing_search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER publishing_search_fts_update AFTER UPDATE ON publishing_searchdocument BEGIN "
    "INSERT INTO publishing_search_fts(publishing_search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO publishing_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER publishing_search_fts_update",
    "DROP TRIGGER publishing_search_fts_delete",
    "DROP TRIGGER publishing_search_fts_insert",
    "DROP TABLE publishing_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX publishing_search_vector ON publishing_searchdocument USING gin "
    "(to_tsvector('english', title || ' ' || body))"
]
POSTGRES_BACKWARD = ["DROP INDEX publishing_search_vector"]


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [
        migrations.RunPython(
            vendor_sql({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            vendor_sql({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
