"""docs/registers.md states the linker's thresholds and the export's columns: kept true here."""

from pathlib import Path

from mutualwatch.matching import linker, services

DOC = (Path(__file__).resolve().parents[2] / "docs" / "registers.md").read_text(encoding="utf-8")


def test_the_thresholds_are_the_ones_the_linker_uses():
    assert f"| automatic | {services.AUTOMATIC} |" in DOC
    assert f"| review | {services.REVIEW} |" in DOC
    assert f"| ambiguity margin | {services.AMBIGUOUS} |" in DOC
    assert f"No m-probability falls below {linker.M_FLOOR}" in DOC
    assert f"a sample of at most {linker.EM_PAIRS / 1e6:.0f} million" in DOC


def test_the_export_columns_are_the_ones_written():
    assert f"`{','.join(services.EXPORT_COLUMNS)}`" in DOC
