"""Paths to the shared OCDS data, read in place; tests skip with the reason when it is absent."""

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
STANDARD = SHARED_DATA / "ocds-1.1.5"
REAL_OCDS = SHARED_DATA / "real-ocds"
MERGE_FIXTURES = SHARED_DATA / "fixtures" / "ocds-merge"
COVE_FIXTURES = SHARED_DATA / "fixtures" / "lib-cove-ocds"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared test data not available: {path} is absent (see SOURCES.md)")
    return path


@pytest.fixture
def ocds_standard(settings: Any) -> Path:
    """Point mutualwatch at the OCDS 1.1.5 standard in ../shared/data."""
    settings.OCDS_STANDARD_DIR = require(STANDARD)
    return STANDARD


@pytest.fixture
def real_ocds() -> Path:
    return require(REAL_OCDS)


@pytest.fixture
def merge_fixtures() -> Path:
    return require(MERGE_FIXTURES)


@pytest.fixture
def cove_fixtures() -> Path:
    return require(COVE_FIXTURES)


def release(ocid: str = "ocds-test-1", release_id: str = "1", **fields: Any) -> dict[str, Any]:
    """A small valid OCDS 1.1 release."""
    return {
        "ocid": ocid,
        "id": release_id,
        "date": "2024-01-01T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        **fields,
    }


def package(*releases: dict[str, Any], version: str | None = "1.1", **fields: Any) -> dict:
    data: dict[str, Any] = {
        "uri": "https://example.org/package.json",
        "publishedDate": "2024-01-01T00:00:00Z",
        "publisher": {"name": "Example Publisher"},
        **fields,
        "releases": list(releases),
    }
    if version is not None:
        data["version"] = version
    return data


def write_json(path: Path, data: Any, *, gz: bool = False) -> Path:
    text = json.dumps(data, indent=1).encode()
    if gz:
        path.write_bytes(gzip.compress(text))
    else:
        path.write_bytes(text)
    return path
