"""Synthetic OCDS at any size, made by replicating real releases under new ocids and ids.

For the benchmark and the kill-and-resume test: the content is real (Contracts Finder releases),
only identifiers and dates are rewritten, so validation, compiling and normalising do the same
work they do on published data.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from mutualwatch.procurement.readers import iter_input_files, read_releases

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def template_releases(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The releases in the given files, as templates."""
    return [
        item.data
        for source in iter_input_files(paths)
        for item in read_releases(source)
        if isinstance(item.data, dict) and not item.linked
    ]


def synthetic_releases(
    templates: list[dict[str, Any]], count: int, *, releases_per_ocid: int = 3, start: int = 0
) -> Iterator[dict[str, Any]]:
    """``count`` releases: template content, ``releases_per_ocid`` releases to each new ocid."""
    for number in range(start, start + count):
        release = orjson.loads(orjson.dumps(templates[number % len(templates)]))
        ocid = f"ocds-synth-{number // releases_per_ocid:09d}"
        release["ocid"] = ocid
        release["id"] = f"{ocid}-{number % releases_per_ocid}"
        release["date"] = (EPOCH + timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if number % releases_per_ocid:
            release["tag"] = ["tenderUpdate"] if "tender" in release else release.get("tag")
        yield release


def write_release_package(path: Path, releases: Iterable[dict[str, Any]], publisher: str) -> int:
    """Write a release package, one release at a time; returns the number written."""
    written = 0
    with path.open("wb") as handle:
        handle.write(b'{"version":"1.1","publisher":')
        handle.write(orjson.dumps({"name": publisher}))
        handle.write(b',"publishedDate":"2020-01-01T00:00:00Z","uri":"https://example.org/",')
        handle.write(b'"releases":[\n')
        for release in releases:
            if written:
                handle.write(b",\n")
            handle.write(orjson.dumps(release))
            written += 1
        handle.write(b"\n]}\n")
    return written


def write_json_lines(path: Path, releases: Iterable[dict[str, Any]]) -> int:
    written = 0
    with path.open("wb") as handle:
        for release in releases:
            handle.write(orjson.dumps(release) + b"\n")
            written += 1
    return written
