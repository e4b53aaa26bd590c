"""One home per heavy dependency: swapping it touches one module."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mutualwatch"

HOMES = {
    "altair": "analysis/charts.py",
    "vl_convert": "analysis/charts.py",
    "lifelines": "analysis/statistics.py",
    "duckdb": "registers/store.py",
    "splink": "matching/linker.py",
    "weasyprint": "packs/render.py",
    "scipy": "workforce/audit.py",
}


@pytest.mark.parametrize(("dependency", "home"), HOMES.items())
def test_only_its_home_imports_a_heavy_dependency(dependency, home):
    imports = re.compile(rf"^\s*(import|from)\s+{dependency}\b", re.MULTILINE)
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if imports.search(path.read_text(encoding="utf-8"))
    )
    assert importers == [home]
