"""Every name a record is known by, searched as part of its title.

A council is searched for by its short name ("Dralby"), its official name, a former name or
a spelling from the names lookup; a provider by a former name. ``names`` holds them, and the
search treats a match in them as a match of the title. SQLite: the FTS5 table gains a
``names`` column between title and body (Django rebuilds the table to add a column, which
drops its triggers, so the FTS table and triggers go first and come back after). PostgreSQL:
``name_vector`` (title and names) replaces the title-only vector of 0004, and
``search_vector`` covers the names too. The councils and providers already indexed get their
names once the migration has run (``search.index_unnamed``, after every migrate).
"""

from django.db import migrations, models

from mutualwatch.publishing.migrations._vendor_sql import vendor_sql


def sqlite_full_text(columns: list[str]) -> list[str]:
    """The FTS5 table over these columns of the documents, its triggers, and its contents."""
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    delete = (
        f"INSERT INTO publishing_search_fts(publishing_search_fts, rowid, {listed}) "
        f"VALUES ('delete', old.id, {old}); "
    )
    insert = f"INSERT INTO publishing_search_fts(rowid, {listed}) VALUES (new.id, {new}); "
    return [
        f"CREATE VIRTUAL TABLE publishing_search_fts USING fts5({listed}, "
        "content='publishing_searchdocument', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER publishing_search_fts_insert AFTER INSERT ON publishing_searchdocument "
        f"BEGIN {insert}END",
        "CREATE TRIGGER publishing_search_fts_delete AFTER DELETE ON publishing_searchdocument "
        f"BEGIN {delete}END",
        "CREATE TRIGGER publishing_search_fts_update AFTER UPDATE ON publishing_searchdocument "
        f"BEGIN {delete}{insert}END",
        "INSERT INTO publishing_search_fts(publishing_search_fts) VALUES ('rebuild')",
    ]


SQLITE_DROP = [
    "DROP TRIGGER publishing_search_fts_update",
    "DROP TRIGGER publishing_search_fts_delete",
    "DROP TRIGGER publishing_search_fts_insert",
    "DROP TABLE publishing_search_fts",
]
POSTGRES_DROP_TITLE_VECTORS = [
    "ALTER TABLE publishing_searchdocument DROP COLUMN title_vector",
    "ALTER TABLE publishing_searchdocument DROP COLUMN search_vector",
]
POSTGRES_TITLE_VECTORS = [
    "ALTER TABLE publishing_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED",
    "CREATE INDEX publishing_search_stored_vector ON publishing_searchdocument "
    "USING gin (search_vector)",
    "ALTER TABLE publishing_searchdocument ADD COLUMN title_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title)) STORED",
    "CREATE INDEX publishing_search_title_vector ON publishing_searchdocument "
    "USING gin (title_vector)",
]
POSTGRES_NAME_VECTORS = [
    "ALTER TABLE publishing_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || names || ' ' || body)) STORED",
    "CREATE INDEX publishing_search_stored_vector ON publishing_searchdocument "
    "USING gin (search_vector)",
    "ALTER TABLE publishing_searchdocument ADD COLUMN name_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || names)) STORED",
    "CREATE INDEX publishing_search_name_vector ON publishing_searchdocument "
    "USING gin (name_vector)",
]
POSTGRES_DROP_NAME_VECTORS = [
    "ALTER TABLE publishing_searchdocument DROP COLUMN name_vector",
    "ALTER TABLE publishing_searchdocument DROP COLUMN search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("publishing", "0004_title_search_vector")]

    operations = [
        migrations.RunPython(
            vendor_sql({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP_TITLE_VECTORS}),
            vendor_sql(
                {
                    "sqlite": sqlite_full_text(["title", "body"]),
                    "postgresql": POSTGRES_TITLE_VECTORS,
                }
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="names",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Every name the record is known by, as search keys, each on its own "
                "line (a line break before the first and after each).",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(
            vendor_sql(
                {
                    "sqlite": sqlite_full_text(["title", "names", "body"]),
                    "postgresql": POSTGRES_NAME_VECTORS,
                }
            ),
            vendor_sql({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP_NAME_VECTORS}),
        ),
    ]
