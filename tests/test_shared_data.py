"""The shared real data: found in one place, and missing it fails CI instead of skipping."""

import re
from pathlib import Path

import pytest

from tests.shared_data import SHARED_DATA, require

REPO = Path(__file__).resolve().parents[1]


def test_missing_shared_data_skips_locally_and_fails_under_ci(monkeypatch, tmp_path):
    absent = tmp_path / "real-ocds"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="real-ocds is absent"):
        require(absent)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"real-ocds is absent.*CI is set"):
        require(absent)
    assert require(tmp_path) == tmp_path


def test_only_tests_shared_data_says_where_the_shared_data_is():
    # the path built from parts, or written in a string ("../shared/data/ocds-1.1.5")
    pattern = re.compile(r"""["']shared["']\s*/|["'][^"'\n]*shared/data""")
    computed = [
        str(path.relative_to(REPO))
        for folder in ("tests", "bench")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.name not in ("shared_data.py", "test_shared_data.py")
        and pattern.search(path.read_text())
    ]
    assert computed == [], f"compute the shared data path here instead: {SHARED_DATA}"
