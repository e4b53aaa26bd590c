"""Fixtures for the shared OCDS data (see tests/shared_data.py), and small OCDS builders."""

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.shared_data import COVE_FIXTURES, MERGE_FIXTURES, OCDS_STANDARD, REAL_OCDS, require


@pytest.fixture
def ocds_standard(settings: Any) -> Path:
    """Point mutualwatch at the OCDS 1.1.5 standard in the shared data."""
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)
    return OCDS_STANDARD


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
