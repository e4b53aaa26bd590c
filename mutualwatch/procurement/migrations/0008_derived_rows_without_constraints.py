"""The derived tables without foreign-key constraints, and text columns without LIKE indexes
(see the models' docstring): each was server work in every ingest, for nothing read."""

import django.db.models.deletion
from django.db import migrations, models


# Keys Django gives a LIKE index on PostgreSQL whatever the field says (text primary keys and
# unique columns). Their lookups are by equality: the key's own index serves them.
KEY_COLUMNS = [
    ("procurement_release", "content_hash", "varchar_pattern_ops"),
    ("procurement_procurementprocess", "ocid", "text_pattern_ops"),
    ("procurement_tender", "process_id", "text_pattern_ops"),
]


def drop_key_like_indexes(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column, operator_class in KEY_COLUMNS:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, f"%({column} {operator_class})"],
            )
            for (name,) in cursor.fetchall():
                schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_key_like_indexes(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, operator_class in KEY_COLUMNS:
        name = schema_editor.quote_name(f"{table}_{column}_like")
        schema_editor.execute(
            f"CREATE INDEX {name} ON {schema_editor.quote_name(table)} "
            f"({schema_editor.quote_name(column)} {operator_class})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0007_compiled_as_text"),
        ("register", "0005_provider_name_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="amendment",
            name="process",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="amendments",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AlterField(
            model_name="award",
            name="process",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="awards",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AlterField(
            model_name="awardsupplier",
            name="award",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="suppliers",
                to="procurement.award",
            ),
        ),
        migrations.AlterField(
            model_name="awardsupplier",
            name="party",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="awards_won",
                to="procurement.party",
            ),
        ),
        migrations.AlterField(
            model_name="classification",
            name="code",
            field=models.CharField(max_length=100),
        ),
        migrations.AlterField(
            model_name="classification",
            name="process",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="classifications",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AlterField(
            model_name="contract",
            name="process",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contracts",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AlterField(
            model_name="lot",
            name="process",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lots",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="name",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="party",
            name="process",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="parties",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AlterField(
            model_name="partyidentifier",
            name="identifier",
            field=models.CharField(max_length=300),
        ),
        migrations.AlterField(
            model_name="partyidentifier",
            name="party",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="identifiers",
                to="procurement.party",
            ),
        ),
        migrations.AlterField(
            model_name="procurementprocess",
            name="buyer_name",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="procurementprocess",
            name="procurement_method",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="procurementprocess",
            name="publisher",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="release",
            name="publisher",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="tender",
            name="process",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tender",
                to="procurement.procurementprocess",
            ),
        ),
        migrations.AddIndex(
            model_name="amendment",
            index=models.Index(fields=["process"], name="amendment_process"),
        ),
        migrations.AddIndex(
            model_name="classification",
            index=models.Index(fields=["process"], name="classification_process"),
        ),
        migrations.AddIndex(
            model_name="classification",
            index=models.Index(fields=["code"], name="classification_code"),
        ),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(fields=["process"], name="contract_process"),
        ),
        migrations.AddIndex(
            model_name="lot",
            index=models.Index(fields=["process"], name="lot_process"),
        ),
        migrations.AddIndex(
            model_name="party",
            index=models.Index(fields=["name"], name="party_name"),
        ),
        migrations.AddIndex(
            model_name="partyidentifier",
            index=models.Index(fields=["identifier"], name="party_identifier"),
        ),
        migrations.AddIndex(
            model_name="procurementprocess",
            index=models.Index(fields=["publisher"], name="process_publisher"),
        ),
        migrations.AddIndex(
            model_name="procurementprocess",
            index=models.Index(fields=["buyer_name"], name="process_buyer_name"),
        ),
        migrations.AddIndex(
            model_name="procurementprocess",
            index=models.Index(fields=["procurement_method"], name="process_procurement_method"),
        ),
        migrations.AddIndex(
            model_name="release",
            index=models.Index(fields=["publisher"], name="release_publisher"),
        ),
        migrations.RunPython(drop_key_like_indexes, create_key_like_indexes),
    ]
