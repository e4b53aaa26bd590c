"""Tiny demo worlds, generated once per test session (the real samples: tests/shared_data.py)."""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from mutualwatch.demoworld.companies import COMPANIES_HOUSE_FILE
from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.demoworld.world import generate_world

TINY_SEED = 7


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-world")
    generate_world(world_parameters(TINY_SEED, "tiny"), out)
    return out


def read_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            yield orjson.loads(line)


def read_register(world: Path) -> list[dict[str, str]]:
    document = orjson.loads((world / "register.json").read_bytes())
    assert document["format"] == "mutualwatch-register"
    return document["records"]


def read_companies_house(world: Path) -> dict[str, dict[str, str]]:
    with (world / COMPANIES_HOUSE_FILE).open(encoding="utf-8", newline="") as handle:
        return {row[" CompanyNumber"]: row for row in csv.DictReader(handle)}


def ocds_packages(world: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every release package the world published, named by file (and line)."""
    for path in sorted((world / "ocds").glob("*.json")):
        yield path.name, orjson.loads(path.read_bytes())
    for path in sorted((world / "ocds").glob("*.jsonl")):
        for number, package in enumerate(read_json_lines(path), start=1):
            yield f"{path.name}:{number}", package
