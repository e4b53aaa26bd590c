"""Paths to the real reference data, read in place; tests skip when it is absent."""

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
REGISTER_CSV = SHARED_DATA / "reference" / "uk_local_authorities.csv"
NAMES_CSV = SHARED_DATA / "reference" / "lookup_name_to_registry.csv"
REAL_OCDS = SHARED_DATA / "real-ocds"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (see ../shared/data/SOURCES.md)")
    return path


@pytest.fixture
def register_csv() -> Path:
    return require(REGISTER_CSV)


@pytest.fixture
def names_csv() -> Path:
    return require(NAMES_CSV)


@pytest.fixture
def real_ocds() -> Path:
    return require(REAL_OCDS)
