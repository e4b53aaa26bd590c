"""../shared/data: the real files the tests read in place, never copied into the repository.

Where it is is defined here and nowhere else (the benchmarks read it from here too): beside
the checkout, or wherever ``MUTUALWATCH_SHARED_DATA`` points (a checkout elsewhere, such as
a git worktree, would otherwise find nothing and skip every real-data test). A test
that needs a file asks ``require`` for it: on a developer's machine without the data the test
skips, saying what is missing; under CI (the ``CI`` environment variable set) it fails, since
a suite that skipped its real-data tests would pass without testing what it claims.
"""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("MUTUALWATCH_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)
OCDS_STANDARD = SHARED_DATA / "ocds-1.1.5"
REAL_OCDS = SHARED_DATA / "real-ocds"
BLUETAIL = REAL_OCDS / "uk-contracts-finder-bluetail-2020-raw"
MERGE_FIXTURES = SHARED_DATA / "fixtures" / "ocds-merge"
COVE_FIXTURES = SHARED_DATA / "fixtures" / "lib-cove-ocds"
REGISTERS = SHARED_DATA / "registers"
COMPANIES_HOUSE = REGISTERS / "companies-house"
AUTHORITIES_CSV = SHARED_DATA / "reference" / "uk_local_authorities.csv"
NAMES_CSV = SHARED_DATA / "reference" / "lookup_name_to_registry.csv"
DOCUMENTS = SHARED_DATA / "documents"


def require(path: Path) -> Path:
    """The path, which must exist: a skip without it, or a failure under CI."""
    if path.exists():
        return path
    reason = f"shared test data not available: {path} is absent (see {SHARED_DATA}/SOURCES.md)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so missing data fails the test", pytrace=False)
    pytest.skip(reason)


def cases(folder: Path, pattern: str = "*.json") -> list[Path]:
    """The files in a folder of shared data, for ``pytest.mark.parametrize``; without the folder,
    the folder itself, so that the one test made from it calls ``require`` and skips or fails
    (an empty parameter list would skip silently even under CI)."""
    if not folder.is_dir():
        return [folder]
    return sorted(folder.glob(pattern))
