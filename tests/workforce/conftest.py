"""The tiny demo world's workforce records, loaded into the test database."""

from pathlib import Path

import pytest

from mutualwatch.demoworld.loading import load_workforce
from mutualwatch.register.importing import import_register
from tests.demoworld.conftest import tiny_world

__all__ = ["loaded_world", "tiny_world"]


@pytest.fixture
def loaded_world(tiny_world: Path, db: None) -> Path:
    """The tiny world's register and workforce records, with their first publication."""
    import_register(tiny_world / "register.json")
    load_workforce(tiny_world, lambda line: None)
    return tiny_world
