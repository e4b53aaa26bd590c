"""Streaming readers for OCDS files: from paths to releases, never a whole file in memory.

Accepted: release packages, record packages, records, bare releases, arrays of releases (or of
packages), and JSON Lines with any of those on each line; plain, ``.gz`` or inside a ``.zip``;
and directories of such files. A JSON document is read one value (a release, a record) at a
time by jsonstream.JSONStream; ijson (its C backend where installed) only scans a package's
top level for its metadata, skipping the big arrays. JSON Lines lines are parsed with orjson.
Everything here is pure reading: no database.
"""

import gzip
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]
import orjson

from mutualwatch.json_depth import GaugedStream, TooDeepError
from mutualwatch.procurement.exceptions import (
    InputNotFoundError,
    MalformedJSONError,
    UnsupportedInputError,
)
from mutualwatch.procurement.jsonstream import JSONStream

try:
    IJSON: Any = ijson.get_backend("yajl2_c")
except ImportError:  # the C backend is missing on some platforms: the pure one still streams
    IJSON = ijson.get_backend("python")

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson", ".jl", ".jsonlines"}
READABLE_SUFFIXES = {".json", *JSON_LINES_SUFFIXES}
# Streamed arrays and objects: their content is never built in memory as a whole.
STREAMED_KEYS = ("releases", "records")
# Derived data in records, not as published: skipped.
IGNORED_KEYS = ("compiledRelease", "versionedRelease")
HEAD_BYTES = 64 * 1024
MAX_FIRST_LINE = 16 * 1024 * 1024
CHUNK = 64 * 1024


# What an opener returns: a file, a zip member or a gzip stream, all read as bytes.
ByteStream = IO[bytes] | gzip.GzipFile


class Layout(StrEnum):
    DOCUMENT = "document"  # one JSON value: rejected whole if malformed
    JSON_LINES = "json-lines"  # a value per line: lines before a malformed one are kept


@dataclass(frozen=True)
class InputFile:
    """One file to read: a file on disk, a gzipped file, or a member of a zip archive."""

    name: str  # shown to users: the path, or "archive.zip!member.json"
    opener: Callable[[], ByteStream]
    json_lines_by_name: bool

    def open(self) -> ByteStream:
        """The file's bytes, refused (``TooDeepError``) as soon as they nest too deeply."""
        return GaugedStream(self.opener(), self._too_deep)  # type: ignore[return-value]

    def _too_deep(self, error: TooDeepError) -> MalformedJSONError:
        return MalformedJSONError(self.name, str(error), byte_offset=error.offset)


@dataclass(frozen=True)
class ReadRelease:
    """A release as read, with where it came from and what its package declared."""

    data: Any  # normally a dict; anything else is quarantined by validation
    position: str  # "releases[3]", "line 17", "records[2].releases[0]"
    publisher: str
    declared_version: str | None
    linked: bool = False  # a record's linked release (url, date, tag): nothing to ingest


@dataclass
class Metadata:
    publisher: str = ""
    version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[InputFile]:
    """Expand paths (files, directories, archives) into input files, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputNotFoundError(f"{path}: no such file or directory.")
        if path.is_dir():
            found = False
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _readable_name(child.name):
                    found = True
                    yield from _files_in(child)
            if not found:
                raise InputNotFoundError(
                    f"{path}: the directory holds no .json, .jsonl, .gz or .zip files."
                )
        else:
            yield from _files_in(path)


def _readable_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".zip"):
        return True
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return Path(lower).suffix in READABLE_SUFFIXES


def _is_json_lines_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return Path(lower).suffix in JSON_LINES_SUFFIXES


def _files_in(path: Path) -> Iterator[InputFile]:
    name = str(path)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(
                    info.filename
                    for info in archive.infolist()
                    if not info.is_dir() and _readable_name(info.filename)
                )
        except zipfile.BadZipFile as error:
            raise UnsupportedInputError(name, f"not a readable zip archive ({error}).") from error
        for member in members:
            yield InputFile(
                name=f"{name}!{member}",
                opener=_zip_member_opener(path, member),
                json_lines_by_name=_is_json_lines_name(member),
            )
    elif path.suffix.lower() == ".gz":
        yield InputFile(
            name=name,
            opener=lambda: gzip.open(path, "rb"),  # noqa: SIM115  the caller closes it
            json_lines_by_name=_is_json_lines_name(path.name),
        )
    else:
        yield InputFile(
            name=name, opener=lambda: path.open("rb"), json_lines_by_name=_is_json_lines_name(name)
        )


def _zip_member_opener(path: Path, member: str) -> Callable[[], ByteStream]:
    def opener() -> ByteStream:
        archive = zipfile.ZipFile(path)
        member_file = archive.open(member)
        if member.lower().endswith(".gz"):
            return gzip.GzipFile(fileobj=member_file)
        return member_file

    return opener


def detect_layout(source: InputFile) -> Layout:
    """JSON Lines if the name says so, or if the first line is a whole JSON value and more
    values follow; otherwise one JSON document."""
    if source.json_lines_by_name:
        return Layout.JSON_LINES
    with source.open() as stream:
        try:
            head = stream.read(HEAD_BYTES)
            while b"\n" not in head.lstrip() and len(head) < MAX_FIRST_LINE:
                more = stream.read(CHUNK)
                if not more:
                    break
                head += more
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            raise MalformedJSONError(source.name, f"cannot be read ({error})") from error
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise MalformedJSONError(source.name, "the file is empty", byte_offset=0)
    if body[:1] not in (b"{", b"["):
        raise MalformedJSONError(
            source.name,
            f"expected a JSON object or array, found {body[:20]!r}",
            line=1,
            byte_offset=len(head) - len(body),
        )
    first, newline, rest = body.partition(b"\n")
    if not newline or not rest.strip():
        return Layout.DOCUMENT
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        return Layout.DOCUMENT
    return Layout.JSON_LINES


def read_releases(source: InputFile, layout: Layout | None = None) -> Iterator[ReadRelease]:
    """Stream the releases in one input file.

    Raises MalformedJSONError (naming the line or byte offset) when the JSON is broken, and
    UnsupportedInputError when it is JSON but not OCDS in an accepted shape.
    """
    layout = layout or detect_layout(source)
    if layout is Layout.JSON_LINES:
        yield from _read_json_lines(source)
    else:
        yield from _read_document(source)


def _read_json_lines(source: InputFile) -> Iterator[ReadRelease]:
    with source.open() as stream:
        offset = 0
        for number, line in enumerate(_lines(stream, source.name), start=1):
            stripped = line.strip()
            if stripped:
                try:
                    value = orjson.loads(stripped)
                except orjson.JSONDecodeError as error:
                    raise MalformedJSONError(
                        source.name, str(error), line=number, byte_offset=offset + error.pos
                    ) from error
                yield from _releases_in_value(source.name, value, f"line {number}", Metadata())
            offset += len(line)


def _lines(stream: ByteStream, name: str) -> Iterator[bytes]:
    try:
        yield from stream
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise MalformedJSONError(name, f"cannot be read to the end ({error})") from error


def _releases_in_value(
    name: str, value: Any, position: str, inherited: Metadata
) -> Iterator[ReadRelease]:
    """The releases in one parsed value: a package, a record, a release, or an array of them."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _releases_in_value(name, item, f"{position}[{index}]", inherited)
        return
    if isinstance(value, dict) and isinstance(value.get("records"), list):
        meta = _metadata_from(value)
        for r_index, record in enumerate(value["records"]):
            releases = record.get("releases") if isinstance(record, dict) else None
            if not isinstance(releases, list):
                raise UnsupportedInputError(
                    name, f"{position} records[{r_index}] has no array of releases."
                )
            for index, release in enumerate(releases):
                yield _read_release(
                    release, f"{position} records[{r_index}].releases[{index}]", meta
                )
        return
    if isinstance(value, dict) and isinstance(value.get("releases"), list):
        meta = _metadata_from(value)
        for index, release in enumerate(value["releases"]):
            yield _read_release(release, f"{position} releases[{index}]", meta)
        return
    yield _read_release(value, position, _metadata_for_bare_release(value, inherited))


def _read_release(value: Any, position: str, meta: Metadata) -> ReadRelease:
    linked = (
        isinstance(value, dict) and "url" in value and "ocid" not in value and "id" not in value
    )
    return ReadRelease(
        data=value,
        position=position,
        publisher=meta.publisher,
        declared_version=meta.version,
        linked=linked,
    )


def _metadata_from(package: dict[str, Any]) -> Metadata:
    publisher = package.get("publisher")
    name = publisher.get("name") if isinstance(publisher, dict) else None
    version = package.get("version")
    return Metadata(
        publisher=name if isinstance(name, str) else "",
        version=version if isinstance(version, str) else None,
    )


def _metadata_for_bare_release(release: Any, inherited: Metadata) -> Metadata:
    """A bare release's own `version` (as OCP's upgraded samples carry) or `packageInfo`."""
    if not isinstance(release, dict):
        return inherited
    meta = Metadata(publisher=inherited.publisher, version=inherited.version)
    package_info = release.get("packageInfo")
    if isinstance(package_info, dict):
        from_info = _metadata_from(package_info)
        meta.publisher = meta.publisher or from_info.publisher
        meta.version = meta.version or from_info.version
    version = release.get("version")
    if meta.version is None and isinstance(version, str):
        meta.version = version
    return meta


# -- one JSON document, streamed ----------------------------------------------------------------


class _CountingReader:
    """Counts bytes handed to the parser and keeps the last two chunks, to place errors."""

    def __init__(self, stream: ByteStream) -> None:
        self.stream = stream
        self.offset = 0
        self.newlines = 0
        self.previous = b""
        self.current = b""
        self.current_start = 0
        self.newlines_before_current = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.previous = self.current
        self.current = data
        self.newlines_before_current = self.newlines - self.previous.count(b"\n")
        self.current_start = self.offset - len(self.previous)
        self.offset += len(data)
        self.newlines += data.count(b"\n")
        return data

    def locate(self, message: str) -> tuple[int | None, int]:
        """(line, byte offset) of a yajl error, exact where yajl's excerpt can be found.

        yajl quotes about 30 bytes around the error with newlines turned into spaces and
        a caret just past the offending byte; the excerpt is searched for in the last two
        chunks read. Where it cannot be found, the offset is how far parsing had read.
        """
        window = self.previous + self.current
        lines = message.split("\n")
        if len(lines) >= 3 and "(right here)" in lines[2]:
            excerpt = lines[1].lstrip(" ")
            caret = (len(lines[2]) - 1) - (len(lines[1]) - len(excerpt))
            flattened = window.replace(b"\n", b" ").replace(b"\r", b" ")
            needle = excerpt.encode("utf-8", "replace")
            at = flattened.rfind(needle) if needle else -1
            if at >= 0 and 0 < caret <= len(needle):
                # yajl points just past the byte that broke the parse: name that byte.
                position = at + caret - 1
                line = self.newlines_before_current + window[:position].count(b"\n") + 1
                return line, self.current_start + position
        return None, self.offset


def _read_document(source: InputFile) -> Iterator[ReadRelease]:
    with source.open() as raw:
        reader = _CountingReader(raw)
        try:
            if _first_significant_byte(source) == b"[":
                yield from _stream_array(source, reader)
            else:
                yield from _stream_object(source, reader)
        except ijson.JSONError as error:
            raise _located(source, reader, error) from error
        except UnicodeDecodeError as error:
            raise MalformedJSONError(
                source.name, f"text is not UTF-8 ({error.reason})", byte_offset=reader.offset
            ) from error
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            raise MalformedJSONError(
                source.name, f"cannot be read to the end ({error})", byte_offset=reader.offset
            ) from error


def _first_significant_byte(source: InputFile) -> bytes:
    with source.open() as stream:
        head = stream.read(HEAD_BYTES)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def _stream_array(source: InputFile, reader: _CountingReader) -> Iterator[ReadRelease]:
    document = JSONStream(reader, source.name, source.open)
    for index, item in enumerate(document.items()):
        yield from _releases_in_value(source.name, item, f"[{index}]", Metadata())
    document.end()


def _stream_object(source: InputFile, reader: _CountingReader) -> Iterator[ReadRelease]:
    top, streamed_key = _scan_top_level(source)
    if streamed_key is None:
        # Not a package: the top-level object is a bare release (or record without releases).
        yield from _releases_in_value(source.name, top, "release", Metadata())
        return
    meta = _metadata_from(top)
    document = JSONStream(reader, source.name, source.open)
    for key in document.members():
        if key not in STREAMED_KEYS or document.peek() != "[":
            document.value()  # metadata, read already by _scan_top_level
        elif key != streamed_key:
            for _ in document.items():  # a second package array: one item at a time
                pass
        elif key == "records":
            for r_index, record in enumerate(document.items()):
                releases = record.get("releases") if isinstance(record, dict) else None
                if not isinstance(releases, list):
                    raise UnsupportedInputError(
                        source.name, f"records[{r_index}] has no array of releases."
                    )
                for index, release in enumerate(releases):
                    yield _read_release(release, f"records[{r_index}].releases[{index}]", meta)
        else:
            for index, release in enumerate(document.items()):
                yield _read_release(release, f"releases[{index}]", meta)
    document.end()


def _scan_top_level(source: InputFile) -> tuple[dict[str, Any], str | None]:
    """The top-level object without its streamed or derived members, and which member to
    stream ("releases", "records" or None for a bare release).

    Package metadata (publisher, version) may come after the releases, so this looks at the
    first chunk and, only when metadata is still missing, reads the file's top level once more,
    skipping the big members without building them.
    """
    with source.open() as stream:
        head = stream.read(HEAD_BYTES)
    top, key, complete = _top_level_from_events(IJSON.parse(io.BytesIO(head)), partial=True)
    if key is not None and "version" in top and "publisher" in top:
        return top, key
    if complete and key is None:
        return top, None
    with source.open() as stream:
        reader = _CountingReader(stream)
        try:
            top, key, _ = _top_level_from_events(IJSON.parse(reader), partial=False)
        except ijson.JSONError as error:
            raise _located(source, reader, error) from error
    return top, key


def _located(source: InputFile, reader: _CountingReader, error: Exception) -> MalformedJSONError:
    line, offset = reader.locate(str(error))
    reason = str(error).split("\n", 1)[0].strip()
    return MalformedJSONError(source.name, reason, line=line, byte_offset=offset)


def _top_level_from_events(
    events: Iterator[tuple[str, str, Any]], *, partial: bool
) -> tuple[dict[str, Any], str | None, bool]:
    top: dict[str, Any] = {}
    streamed: str | None = None
    builder: Any = None
    current: str | None = None
    skip_prefix: str | None = None
    try:
        for prefix, event, value in events:
            if prefix == "" and event == "map_key":
                if builder is not None and current is not None:
                    top[current] = builder.value
                builder = None
                current = value
                skip_prefix = None
                if value in STREAMED_KEYS or value in IGNORED_KEYS:
                    if value in STREAMED_KEYS and streamed is None:
                        streamed = value
                    skip_prefix = value
                else:
                    builder = ijson.ObjectBuilder()
                continue
            if prefix == "" and event in ("start_map", "end_map"):
                if event == "end_map":
                    if builder is not None and current is not None:
                        top[current] = builder.value
                    return top, streamed, True
                continue
            if skip_prefix is not None:
                continue
            if builder is not None:
                builder.event(event, value)
    except ijson.IncompleteJSONError:
        if not partial:
            raise
    return top, streamed, False
