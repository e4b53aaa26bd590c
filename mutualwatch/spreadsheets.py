"""CSV that is safe to open in a spreadsheet, and read back exactly.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, so a provider named ``=HYPERLINK(...)`` in a download would
become a live link or worse. Every CSV a person may open is written here: such a text cell gets
a leading apostrophe, which spreadsheets show as "this is text" and hide. A cell that already
starts with an apostrophe gets one more, so ``restore_cell`` undoes ``neutralise_cell`` exactly
and mutualwatch reads its own exports back unchanged. Numbers are written as they are.
"""

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, MARK)):
        return MARK + value
    return value


def restore_cell(text: str) -> str:
    return text[1:] if text.startswith(MARK) else text


class SafeWriter:
    """``csv.writer`` that neutralises every cell. A row with a carriage return in a cell is
    written with every cell quoted: the csv module leaves such a cell bare where the line
    ends in ``\n`` alone, and a reader would then split the row in two."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)
        self._quoting_all = csv.writer(handle, **(options | {"quoting": csv.QUOTE_ALL}))

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [neutralise_cell(value) for value in row]
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            self._quoting_all.writerow(cells)
        else:
            self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` (cells by column name, missing ones empty) over ``SafeWriter``."""

    def __init__(self, handle: Any, fieldnames: Sequence[str], **options: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = SafeWriter(handle, **options)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, rowdict: Mapping[str, Any]) -> None:
        unknown = set(rowdict) - set(self.fieldnames)
        if unknown:
            raise ValueError(f"not among the columns: {', '.join(sorted(unknown))}")
        self._writer.writerow([rowdict.get(name, "") for name in self.fieldnames])

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)
