"""The tiny demo world's workforce records, loaded into the test database."""

from pathlib import Path

import pytest

from mutualwatch.demoworld.histories import build_world
from mutualwatch.demoworld.loading import load_workforce
from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.demoworld.register import write_register
from mutualwatch.demoworld.workforce import write_workforce
from mutualwatch.register.importing import import_register
from tests.demoworld.conftest import tiny_world

__all__ = ["loaded_world", "tiny_world"]


@pytest.fixture
def loaded_world(tiny_world: Path, db: None) -> Path:
    """The tiny world's register and workforce records, with their first publication."""
    import_register(tiny_world / "register.json")
    load_workforce(tiny_world, lambda line: None)
    return tiny_world


@pytest.fixture(scope="session")
def demo_workforce_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo-size world's register and workforce records only (seed 1, as `mutualwatch
    demo` uses): enough members that the provider-kind tables are published whole."""
    out = tmp_path_factory.mktemp("demo-workforce")
    world = build_world(world_parameters(1, "demo"))
    write_register(world, out)
    write_workforce(world, out)
    return out
