"""Table rows written in Python for the public pages' long tables and figures (faster than the
template engine), shared by the pages (publishing) and the fates (analysis)."""

from collections.abc import Iterable

from django.utils.html import escape


def value_row(values: Iterable[object]) -> str:
    """A table row of plain values, each escaped."""
    return "<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in values) + "</tr>"
