"""SQL that differs by database, for the search migrations. (Django's migration loader skips
modules whose names start with an underscore.)"""

from collections.abc import Callable


def vendor_sql(statements_by_vendor: dict[str, list[str]]) -> Callable:
    """A RunPython function executing the statements for the connection's database, if any."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply
