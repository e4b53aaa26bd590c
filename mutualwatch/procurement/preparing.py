"""Reading a file's releases into batches ready to store: validated, hashed, and (when asked)
grouped by ocid and compiled. No database here (the caller may pass its own look-up of stored
ocids), so a batch can be prepared in another process (see services.ingest_paths) while the
ingest writes the one before.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from mutualwatch.procurement.compile import CompiledGroup, ReleaseRow, compile_group, merge_order
from mutualwatch.procurement.exceptions import MalformedJSONError, UnsupportedInputError
from mutualwatch.procurement.readers import InputFile, Layout, ReadRelease, read_releases
from mutualwatch.procurement.standard import load_standard
from mutualwatch.procurement.validation import ReleaseValidator, nul_errors
from mutualwatch.untrusted_text import NUL

# How canonical JSON writes a NUL character: its presence sends a release to be searched.
ESCAPED_NUL = b"\\u0000"

# An ocid and its stored releases, in merge order
GroupInput = tuple[str, list[ReleaseRow]]


def canonical_json(data: Any) -> bytes:
    """The canonical JSON of a value: sorted keys, no spaces, UTF-8. Its SHA-256 is the key."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # integers beyond 64 bits: rare, and json handles them
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


@dataclass
class PreparedBatch:
    """A batch of releases as rows to write (dicts keyed by field name), and what it counted."""

    size: int  # releases in the batch, linked ones included (for progress)
    releases_read: int = 0
    linked_releases_skipped: int = 0
    quarantined: int = 0
    repeated: int = 0  # the same release twice in this batch
    valid: dict[str, dict[str, Any]] = field(default_factory=dict)  # by content hash
    invalid: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Each ocid of the valid rows compiled from them alone, when the batch was prepared with
    # compiling (less those already stored): right for the ocids that turn out to be new, which
    # the writer decides, compiling any new one missing here itself.
    compiled: dict[str, CompiledGroup] | None = None


# Given a batch's valid rows, the ocids already stored: compiling them here would be wasted.
KnownOcids = Callable[[list[dict[str, Any]]], set[str]]


def prepare_batch(
    batch: list[ReadRelease],
    source_name: str,
    validator: ReleaseValidator,
    *,
    compiling: bool,
    normalising: bool = True,
    known_ocids: KnownOcids | None = None,
) -> PreparedBatch:
    prepared = PreparedBatch(size=len(batch))
    parsed: dict[str, dict[str, Any]] = {}  # valid releases by content hash, to compile
    for item in batch:
        if item.linked:
            prepared.linked_releases_skipped += 1
            continue
        prepared.releases_read += 1
        canonical = canonical_json(item.data)
        key = content_hash(canonical)
        errors = validator.errors(item.data)
        if ESCAPED_NUL in canonical:
            errors += nul_errors(item.data)
        data = item.data if isinstance(item.data, dict) else {}
        if errors:
            prepared.quarantined += 1
            prepared.invalid.setdefault(
                key,
                {
                    "content_hash": key,
                    "ocid": _text(data.get("ocid")),
                    "release_id": _text(data.get("id")),
                    "publisher": _text(item.publisher),
                    "source_file": source_name,
                    "source_position": item.position,
                    "canonical_json": canonical.decode(),
                    "errors": [error.as_dict() for error in errors],
                    "error_count": len(errors),
                },
            )
        elif key in prepared.valid:
            prepared.repeated += 1
        else:
            declared = item.declared_version or ""
            parsed[key] = data
            prepared.valid[key] = {
                "content_hash": key,
                "ocid": data["ocid"],
                "release_id": data["id"],
                "date": data["date"],
                "tags": data.get("tag") or [],
                "ocds_version": "1.1" if declared.startswith("1.1") else "1.0",
                "publisher": _text(item.publisher),
                "source_file": source_name,
                "source_position": item.position,
                "canonical_json": canonical.decode(),
            }
    if compiling:
        rows = list(prepared.valid.values())
        known = known_ocids(rows) if known_ocids is not None and rows else set()
        groups = [group for group in groups_of(rows, parsed) if group[0] not in known]
        compiled = compile_inputs(groups, normalising=normalising)
        prepared.compiled = {group.ocid: group for group in compiled}
    return prepared


def compile_inputs(inputs: list[GroupInput], *, normalising: bool = True) -> list[CompiledGroup]:
    """Merge and normalise: no database here."""
    rules = load_standard().merge_rules
    return [
        compile_group(ocid, members, rules, normalising=normalising) for ocid, members in inputs
    ]


def groups_of(
    rows: list[dict[str, Any]], parsed: dict[str, dict[str, Any]] | None = None
) -> list[GroupInput]:
    """Release rows grouped by ocid, each group in merge order; with each release as parsed,
    where ``parsed`` has it by content hash (saving parsing its canonical JSON again)."""
    parsed = parsed or {}
    members: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        members.setdefault(row["ocid"], []).append(row)
    groups = []
    for ocid in sorted(members):
        ordered = sorted(
            members[ocid],
            key=lambda row: merge_order(row["date"], row["release_id"], row["content_hash"]),
        )
        rows_in_order = [
            (
                parsed.get(row["content_hash"]) or row["canonical_json"],
                row["ocds_version"],
                row["publisher"],
                row["date"],
            )
            for row in ordered
        ]
        groups.append((ocid, rows_in_order))
    return groups


def prepared_batches(
    source: InputFile,
    layout: Layout,
    validator: ReleaseValidator,
    batch_size: int,
    *,
    compiling: bool = False,
    normalising: bool = True,
    known_ocids: KnownOcids | None = None,
) -> Iterator[PreparedBatch]:
    """The file's releases in prepared batches. A malformed file raises after the batch of
    releases read before the fault (the writer keeps them only for JSON Lines)."""

    def prepared(releases: list[ReadRelease]) -> PreparedBatch:
        return prepare_batch(
            releases,
            source.name,
            validator,
            compiling=compiling,
            normalising=normalising,
            known_ocids=known_ocids,
        )

    pending: list[ReadRelease] = []
    fault: MalformedJSONError | UnsupportedInputError | None = None
    try:
        for release in read_releases(source, layout):
            pending.append(release)
            if len(pending) >= batch_size:
                yield prepared(pending)
                pending = []
    except (MalformedJSONError, UnsupportedInputError) as error:
        fault = error
    if pending:
        yield prepared(pending)
    if fault is not None:
        raise fault


def _text(value: Any) -> str:
    return value.replace(NUL, "") if isinstance(value, str) else ""
