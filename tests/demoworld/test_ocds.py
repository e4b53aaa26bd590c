"""Every OCDS file the world writes is a valid OCDS 1.1.5 release package, with UK habits."""

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from tests.demoworld.conftest import ocds_packages, read_json_lines
from tests.shared_data import OCDS_STANDARD, require


@pytest.fixture(scope="module")
def package_validator() -> Any:
    folder = require(OCDS_STANDARD)
    package_schema = json.loads((folder / "release-package-schema.json").read_text())
    release_schema = json.loads((folder / "release-schema.json").read_text())
    # The package schema refers to the release schema by its https id: serve it locally.
    registry = jsonschema_rs.Registry([(release_schema["id"], release_schema)])
    return jsonschema_rs.validator_for(package_schema, registry=registry, validate_formats=True)


def test_the_validator_rejects_an_invalid_package(package_validator: Any):
    """The check below can fail: a bad date and a release without an id are caught."""
    bad = {
        "uri": "https://contracts.example.org/p.json",
        "version": "1.1",
        "publishedDate": "yesterday",
        "publisher": {"name": "x"},
        "releases": [{"ocid": "ocds-x", "date": "2020-01-01T00:00:00Z", "tag": ["tender"]}],
    }
    assert not package_validator.is_valid(bad)


def test_every_ocds_file_validates_against_the_release_package_schema(
    tiny_world: Path, package_validator: Any
):
    checked = 0
    for name, package in ocds_packages(tiny_world):
        errors = [
            f"{list(error.instance_path)}: {error.message[:200]}"
            for error in package_validator.iter_errors(package)
        ]
        assert errors == [], name
        checked += 1
    assert checked > 100


def test_both_shapes_carry_the_same_releases(tiny_world: Path):
    in_json: Counter[str] = Counter()
    in_lines: Counter[str] = Counter()
    for name, package in ocds_packages(tiny_world):
        target = in_lines if ":" in name else in_json
        target.update(release["id"] for release in package["releases"])
    assert in_json == in_lines
    assert max(in_json.values()) == 1


def test_releases_cover_every_stage(tiny_world: Path):
    tags = Counter(
        tag
        for name, package in ocds_packages(tiny_world)
        if ":" not in name
        for release in package["releases"]
        for tag in release["tag"]
    )
    assert {"planning", "tender", "award", "contract", "contractAmendment"} <= set(tags)


def test_uk_publication_habits_appear(tiny_world: Path):
    habits = Counter(
        habit
        for mention in read_json_lines(tiny_world / "ground_truth" / "supplier_mentions.jsonl")
        for habit in mention["habits"]
    )
    for habit in ("no-identifier", "name-variant", "typo", "upper-case", "duplicate-notice"):
        assert habits[habit] > 0, habit
    procurements = list(read_json_lines(tiny_world / "ground_truth" / "procurements.jsonl"))
    split = [p for p in procurements if p["split_ocid"]]
    assert split
    assert all(len(p["all_ocids"]) >= 2 for p in split)
