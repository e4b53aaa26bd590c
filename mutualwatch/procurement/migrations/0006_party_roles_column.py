"""A party's roles become a column of the party (",buyer,procuringEntity,"), not rows of their
own: the role rows were the table an ingest wrote most."""

from typing import Any

from django.db import migrations, models


def roles_into_parties(apps: Any, schema_editor: Any) -> None:
    """Copy each party's role rows into its new column, sorted and between commas."""
    connection = schema_editor.connection
    party, role = "procurement_party", "procurement_partyrole"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {party} SET roles = ',' || r.listed || ',' FROM ("  # noqa: S608
                f"SELECT party_id, string_agg(DISTINCT replace(role, ',', ' '), ',' ORDER BY "
                f"replace(role, ',', ' ')) AS listed FROM {role} GROUP BY party_id) r "
                f"WHERE {party}.id = r.party_id"
            )
            return
        cursor.execute(f"SELECT party_id, role FROM {role} ORDER BY party_id")  # noqa: S608
        updates, current, roles = [], None, set()
        for party_id, name in cursor.fetchall():
            if party_id != current and current is not None:
                updates.append((f",{','.join(sorted(roles))},", current))
                roles = set()
            current = party_id
            roles.add(name.replace(",", " "))
        if current is not None:
            updates.append((f",{','.join(sorted(roles))},", current))
        cursor.executemany(f"UPDATE {party} SET roles = %s WHERE id = %s", updates)  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0005_ingest_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="roles",
            field=models.TextField(
                blank=True,
                help_text='Its roles, sorted, each between commas: ",buyer,procuringEntity,".',
            ),
        ),
        migrations.RunPython(roles_into_parties, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="PartyRole",
        ),
    ]
