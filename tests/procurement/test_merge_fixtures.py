"""mutualwatch's compiled (and versioned) releases against ocds-merge's own fixtures."""

import json
import warnings
from pathlib import Path

import pytest
from ocdsmerge.rules import get_merge_rules

from mutualwatch.procurement.compile import compile_releases, compile_versioned
from mutualwatch.procurement.standard import load_standard
from tests.shared_data import MERGE_FIXTURES, require
from tests.shared_data import cases as shared_cases


def cases(directory: str, suffix: str) -> list[Path]:
    return [
        p
        for p in shared_cases(MERGE_FIXTURES / directory)
        if not p.exists()  # the folder is missing: its test skips, or fails under CI
        or (
            not p.stem.endswith(("-compiled", "-versioned"))
            and p.with_name(f"{p.stem}-{suffix}.json").exists()
        )
    ]


def load(path: Path) -> object:
    return json.loads(require(path).read_text())


VERSIONS = {"1.1": "1.1", "1.0": "1.0"}


@pytest.mark.parametrize(
    ("version", "case"),
    [(v, p) for v in VERSIONS for p in cases(v, "compiled")],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_compiled_release_matches_ocds_merge(ocds_standard: Path, version: str, case: Path) -> None:
    releases = load(case)
    assert isinstance(releases, list)
    compiled = compile_releases(releases, version).release
    assert compiled == load(case.with_name(f"{case.stem}-compiled.json"))


@pytest.mark.parametrize(
    ("version", "case"),
    [(v, p) for v in VERSIONS for p in cases(v, "versioned")],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_versioned_release_matches_ocds_merge(
    ocds_standard: Path, version: str, case: Path
) -> None:
    releases = load(case)
    assert isinstance(releases, list)
    versioned = compile_versioned(releases, version)
    assert versioned == load(case.with_name(f"{case.stem}-versioned.json"))


@pytest.mark.parametrize(
    "case", cases("schema", "compiled"), ids=lambda p: p.name if isinstance(p, Path) else p
)
def test_compiled_release_with_custom_schema(merge_fixtures: Path, case: Path) -> None:
    schema = load(merge_fixtures / "schema.json")
    assert isinstance(schema, dict)
    releases = load(case)
    assert isinstance(releases, list)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # compile_releases must capture ocdsmerge's warnings
        compiled = compile_releases(releases, rules=get_merge_rules(schema)).release
    assert compiled == load(case.with_name(f"{case.stem}-compiled.json"))


def test_the_fixture_set_is_all_there(merge_fixtures: Path) -> None:
    assert len(cases("1.1", "compiled")) == 17
    assert len(cases("1.0", "compiled")) == 1
    assert len(cases("1.1", "versioned")) == 17


def test_duplicate_ids_are_reported_not_raised(ocds_standard: Path) -> None:
    base = {"ocid": "A", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]}
    releases = [{**base, "awards": [{"id": "1", "title": "x"}, {"id": "1", "title": "y"}]}]
    result = compile_releases(releases, "1.1")
    assert result.release["awards"] == [{"id": "1", "title": "y"}]
    assert len(result.warnings) == 1
    assert "awards" in result.warnings[0]


def test_derived_1_0_rules_equal_the_1_0_3_schema_rules(
    ocds_standard: Path, merge_fixtures: Path
) -> None:
    """Over every field OCDS 1.0.3 has, our 1.0 rules are ocdsmerge's rules for 1.0.3."""
    expected = get_merge_rules(load(merge_fixtures / "release-schema-1__0__3.json"))  # type: ignore[arg-type]
    derived = load_standard().merge_rules["1.0"]
    assert {path: derived.get(path) for path in expected} == expected
    # and nothing under the 1.0 whole-list arrays is merged by id
    assert not [
        p
        for p in derived
        if p[:2] in {("awards", "suppliers"), ("tender", "tenderers")} and len(p) > 2
    ]
