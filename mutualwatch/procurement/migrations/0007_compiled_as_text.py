"""Compiled releases kept as JSON text, not jsonb (PostgreSQL) or JSON_VALID-checked text
(SQLite): see models.JSONTextField. On PostgreSQL the column keeps lz4 compression (0002)."""

from typing import Any

from django.db import migrations

import mutualwatch.procurement.models


def keep_lz4(apps: Any, schema_editor: Any) -> None:
    """Changing the column's type resets its compression to the default: set it again."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    if row and row[0]:
        schema_editor.execute(
            "ALTER TABLE procurement_procurementprocess ALTER COLUMN compiled SET COMPRESSION lz4"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0006_party_roles_column"),
    ]

    operations = [
        migrations.AlterField(
            model_name="procurementprocess",
            name="compiled",
            field=mutualwatch.procurement.models.JSONTextField(blank=True, null=True),
        ),
        migrations.RunPython(keep_lz4, migrations.RunPython.noop),
    ]
