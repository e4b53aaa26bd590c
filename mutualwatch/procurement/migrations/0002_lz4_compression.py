"""On PostgreSQL, compress the stored JSON with lz4 rather than the default pglz: the raw and
compiled releases are most of what an ingest writes, and pglz cost the server more CPU than
the rest of the write. Other databases are left as they are."""

from django.db import migrations

COLUMNS = [
    ("procurement_release", "canonical_json"),
    ("procurement_quarantinedrelease", "canonical_json"),
    ("procurement_procurementprocess", "compiled"),
]


def set_compression(apps, schema_editor, method: str) -> None:  # noqa: ANN001
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        if method == "lz4" and not (row and row[0]):
            return  # a server built without lz4 keeps pglz
        for table, column in COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(table)} "
                f"ALTER COLUMN {schema_editor.quote_name(column)} SET COMPRESSION {method}"
            )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: set_compression(apps, schema_editor, "lz4"),
            lambda apps, schema_editor: set_compression(apps, schema_editor, "pglz"),
        )
    ]
