"""Compiling an ocid's releases into one compiled release: with our own merge (merge.py) where it
gives ocdsmerge's result, and with ocdsmerge where it might not (the only module that merges
with ocdsmerge; standard.py reads the merge rules with it).

Releases are merged in date order. Stored releases come to compile_group already in merge_order
(date, then release id, then content hash, so the result never depends on the order rows come
out of the database), and ocdsmerge's stable sort by date keeps that order for equal dates.
Data declaring OCDS 1.0 is merged with the 1.0 rules; any 1.1 release for the ocid brings in
the 1.1 rules.
"""

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from ocdsmerge import Merger  # type: ignore[import-untyped]
from ocdsmerge.exceptions import (  # type: ignore[import-untyped]
    OCDSMergeError,
    OCDSMergeWarning,
)
from ocdsmerge.util import sorted_releases  # type: ignore[import-untyped]

from mutualwatch.procurement.merge import NeedsReferenceMerge, RuleTree, merge_compiled, rule_tree
from mutualwatch.procurement.normalise import DerivedRows, derived_rows, normalise
from mutualwatch.procurement.standard import MergeRules, load_standard

# (release, OCDS version, publisher, date) of each stored release, in merge order; the release
# as its canonical JSON or, while it is still in memory from reading, parsed
ReleaseRow = tuple[str | dict[str, Any], str, str, str]


def merge_order(date: str, release_id: str, content_hash: str) -> tuple[str, str, str]:
    """Where a stored release goes in its ocid's merge: compared in Python, never by the
    database, whose collation may order text differently."""
    return (date, release_id, content_hash)


def json_text(value: Any) -> str:
    """A value as JSON text for a JSONField column: orjson, not the field's json.dumps (the
    same JSON, parsed back identically; the cost of compiled releases is the reason). Keys
    are sorted, so the text does not depend on the order the releases' keys came in."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:  # integers beyond 64 bits
        return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class Compiled:
    release: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def merge_version(declared_versions: Sequence[str]) -> str:
    """The OCDS version whose merge rules apply to releases declaring these versions."""
    return "1.1" if any(v.startswith("1.1") for v in declared_versions) else "1.0"


def merger_for(version: str) -> Merger:
    return Merger(merge_rules=load_standard().merge_rules[version])


def compile_releases(
    releases: list[dict[str, Any]], version: str = "1.1", *, rules: MergeRules | None = None
) -> Compiled:
    """The compiled release of one ocid's releases (already in merge order, or sortable by date).

    ocdsmerge's warnings (duplicate ids in an array) are returned, not raised: they describe
    the data, and the data quality report shows them.
    """
    rules = rules if rules is not None else load_standard().merge_rules[version]
    ordered = sorted_releases(releases)  # ocdsmerge's order, and its errors for bad dates
    try:
        return Compiled(merge_compiled(ordered, _tree_of(rules)))
    except NeedsReferenceMerge:
        pass
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OCDSMergeWarning)
        compiled = Merger(merge_rules=rules).create_compiled_release(ordered)
    return Compiled(compiled, [str(w.message) for w in caught])


_TREES: dict[int, tuple[MergeRules, RuleTree]] = {}


def _tree_of(rules: MergeRules) -> RuleTree:
    """The rules as a tree, built once per rules object (the standard's are loaded once)."""
    cached = _TREES.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = _TREES[id(rules)] = (rules, rule_tree(rules))
    return cached[1]


def compile_versioned(
    releases: list[dict[str, Any]], version: str = "1.1", *, rules: MergeRules | None = None
) -> dict[str, Any]:
    """The versioned release of one ocid's releases: every value with the release that set it."""
    merger = Merger(merge_rules=rules) if rules is not None else merger_for(version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OCDSMergeWarning)
        return merger.create_versioned_release(releases)


@dataclass
class CompiledGroup:
    """One ocid compiled and normalised, ready to be written."""

    ocid: str
    version: str
    release_count: int
    latest_release_date: str
    publisher: str
    compiled_json: str | None  # as text: groups travel between processes, text pickles fast
    warnings: list[str] = field(default_factory=list)
    rows: DerivedRows | None = None  # None: not compiled, or not normalised yet

    def normalised(self) -> DerivedRows | None:
        """The normalised rows, made from the compiled JSON if they were left to be made where
        the group is written."""
        if self.rows is None and self.compiled_json is not None:
            self.rows = derived_rows(normalise(_parsed(self.compiled_json)))
        return self.rows


def compile_group(
    ocid: str,
    members: list[ReleaseRow],
    merge_rules: dict[str, MergeRules] | None = None,
    *,
    normalising: bool = True,
) -> CompiledGroup:
    """Compile and normalise one ocid's stored releases (or, without ``normalising``, leave
    the normalised rows to CompiledGroup.normalised). A merge error is reported (the process
    is kept, uncompiled, with the reason), not raised.

    ``merge_rules`` (the standard's rules by version) saves looking the standard up per ocid.
    """
    version = merge_version([member[1] for member in members])
    rules = merge_rules[version] if merge_rules is not None else None
    group = CompiledGroup(
        ocid=ocid,
        version=version,
        release_count=len(members),
        latest_release_date=members[-1][3],
        publisher=members[-1][2],
        compiled_json=None,
    )
    try:
        result = compile_releases([_parsed(member[0]) for member in members], version, rules=rules)
    except OCDSMergeError as error:
        group.warnings = [f"not compiled: {error}"]
        return group
    group.compiled_json = json_text(result.release)
    group.warnings = result.warnings
    if normalising:
        group.rows = derived_rows(normalise(result.release))
    return group


def _parsed(release: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(release, dict):
        return release
    try:
        return orjson.loads(release)
    except orjson.JSONDecodeError:  # integers beyond 64 bits, which json_text wrote with json
        return json.loads(release)
