"""Fixtures for the real reference data (see tests/shared_data.py)."""

from pathlib import Path

import pytest

from tests.shared_data import AUTHORITIES_CSV, NAMES_CSV, REAL_OCDS, require


@pytest.fixture
def register_csv() -> Path:
    return require(AUTHORITIES_CSV)


@pytest.fixture
def names_csv() -> Path:
    return require(NAMES_CSV)


@pytest.fixture
def real_ocds() -> Path:
    return require(REAL_OCDS)
