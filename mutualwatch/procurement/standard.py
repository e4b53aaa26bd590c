"""The OCDS standard as mutualwatch reads it: the release schema, its codelists and the merge
rules derived from it, all from the local directory ``settings.OCDS_STANDARD_DIR``.

Ingest never touches the network: OCDS 1.1.5's release schema and codelists ship inside the
package (``settings.SHIPPED_OCDS_STANDARD_DIR``), and ``mutualwatch fetch-standard`` downloads
another version once.
Everything here is cached per directory, so a test can point at another one.
"""

import csv
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from ocdsmerge.rules import get_merge_rules  # type: ignore[import-untyped]

from mutualwatch.procurement.exceptions import StandardNotFoundError

RELEASE_SCHEMA = "release-schema.json"
# What ingest reads: the release schema (validation, merge rules, which fields use which
# codelist) and codelists/*.csv. The package schemas are never read.
REQUIRED_FILES = (RELEASE_SCHEMA,)

MergeRules = dict[tuple[str, ...], str]

# OCDS 1.0 organisation references in these arrays had no `id`, so 1.0 merges them as whole
# lists; 1.1 merges them by `id`. 1.0 also marked `ocid` as omitted when merging. This is the
# whole difference between ocdsmerge's rules for the 1.0.3 and 1.1.x schemas over the fields
# 1.0 has (a test checks it against the 1.0.3 schema itself).
OCDS_1_0_WHOLE_LIST_MERGE = (("awards", "suppliers"), ("tender", "tenderers"))


@dataclass(frozen=True)
class Standard:
    """The parts of the standard ingest needs, loaded once."""

    directory: Path
    release_schema: dict[str, Any]
    codelists: dict[str, frozenset[str]]
    merge_rules: dict[str, MergeRules]  # by OCDS minor version, "1.0" or "1.1"
    codelist_fields: dict[tuple[str, ...], str]  # field path (arrays elided) -> codelist file


def standard_dir() -> Path:
    return Path(settings.OCDS_STANDARD_DIR)


def load_standard() -> Standard:
    """The standard in ``settings.OCDS_STANDARD_DIR``, or a clear error if it is not there."""
    return _load_standard(str(standard_dir().resolve()))


@functools.cache
def _load_standard(directory: str) -> Standard:
    path = Path(directory)
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if not (path / "codelists").is_dir():
        missing.append("codelists/")
    if missing:
        raise StandardNotFoundError(
            f"The OCDS standard is not in {path} (missing: {', '.join(missing)}). Run "
            "`mutualwatch fetch-standard`, or set MUTUALWATCH_OCDS_STANDARD to a directory "
            "holding release-schema.json and codelists/*.csv (unset, the copy mutualwatch "
            "ships is used)."
        )
    schema = orjson.loads((path / RELEASE_SCHEMA).read_bytes())
    rules_1_1 = get_merge_rules(schema)
    return Standard(
        directory=path,
        release_schema=schema,
        codelists=read_codelists(path / "codelists"),
        merge_rules={"1.1": rules_1_1, "1.0": merge_rules_for_1_0(rules_1_1)},
        codelist_fields=dict(codelist_fields(schema)),
    )


def merge_rules_for_1_0(rules_1_1: MergeRules) -> MergeRules:
    """ocdsmerge's OCDS 1.0 rules, derived from the 1.1 schema's (see OCDS_1_0_WHOLE_LIST_MERGE)."""
    rules = {
        path: rule
        for path, rule in rules_1_1.items()
        if not any(path[: len(whole)] == whole for whole in OCDS_1_0_WHOLE_LIST_MERGE)
    }
    for whole in OCDS_1_0_WHOLE_LIST_MERGE:
        rules[whole] = "wholeListMerge"
    rules[("ocid",)] = "omitWhenMerged"
    return rules


def code_title(codelist: str, code: str) -> str:
    """How the standard names a code for people (``method.csv``'s ``open`` is "Open"); a code
    the codelist lacks is shown as published."""
    return _titles(str(settings.OCDS_STANDARD_DIR), codelist).get(code, code)


@functools.cache
def _titles(directory: str, codelist: str) -> dict[str, str]:
    path = Path(directory) / "codelists" / codelist
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["Code"]: row["Title"] for row in csv.DictReader(handle)}


def read_codelists(directory: Path) -> dict[str, frozenset[str]]:
    """Each codelist file name (``method.csv``) mapped to its codes."""
    codelists = {}
    for csv_path in sorted(directory.glob("*.csv")):
        with csv_path.open(newline="", encoding="utf-8") as handle:
            codelists[csv_path.name] = frozenset(row["Code"] for row in csv.DictReader(handle))
    return codelists


def codelist_fields(schema: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every field of the release schema that draws on a codelist, as (path, codelist file).

    Paths elide array positions: ``("tender", "documents", "documentType")``.
    """
    definitions = schema.get("definitions", {})

    def walk(node: dict[str, Any], path: tuple[str, ...], seen: frozenset[str]) -> Iterator:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                return
            node, seen = definitions.get(name, {}), seen | {name}
        if "codelist" in node:
            yield path, node["codelist"]
        if "items" in node and isinstance(node["items"], dict):
            yield from walk(node["items"], path, seen)
        for key, child in node.get("properties", {}).items():
            yield from walk(child, (*path, key), seen)

    yield from walk(schema, (), frozenset())
