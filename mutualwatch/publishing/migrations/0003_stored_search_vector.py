"""PostgreSQL: keep each document's tsvector in a stored generated column, indexed.

The expression index of 0002 finds the matches, but a common word matches thousands of
documents, and checking and ranking each one parsed its text again on every search (300 ms for
"council" in the national demo world). The column is computed by PostgreSQL on every write, so
Django never sees it; publishing/search.py queries it. SQLite keeps its FTS5 table.
"""

from django.db import migrations

from mutualwatch.publishing.migrations._vendor_sql import vendor_sql

POSTGRES_FORWARD = [
    "ALTER TABLE publishing_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED",
    "CREATE INDEX publishing_search_stored_vector ON publishing_searchdocument "
    "USING gin (search_vector)",
    "DROP INDEX publishing_search_vector",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX publishing_search_vector ON publishing_searchdocument USING gin "
    "(to_tsvector('english', title || ' ' || body))",
    "ALTER TABLE publishing_searchdocument DROP COLUMN search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_full_text_search")]

    operations = [
        migrations.RunPython(
            vendor_sql({"postgresql": POSTGRES_FORWARD}),
            vendor_sql({"postgresql": POSTGRES_BACKWARD}),
        )
    ]
