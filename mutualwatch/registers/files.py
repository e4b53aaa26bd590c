"""Register files as published: their fingerprints, their dates, and zips opened safely."""

import datetime
import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from mutualwatch.registers.exceptions import (
    SnapshotDateError,
    UnsafeArchiveError,
    WrongFileError,
)

# Compressed CSV expands about tenfold; a zip bomb a thousandfold or more.
MAX_EXPANSION_RATIO = 100
CHUNK = 1 << 20
DATE_IN_NAME = re.compile(r"((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?")
# More bad rows than this share means the file is not what it was given as.
BAD_ROW_LIMIT = 0.01


def sha256_of(paths: Iterable[Path]) -> str:
    """One fingerprint for files that make one snapshot (the parts of a multi-part zip)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        file_digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                file_digest.update(chunk)
        digest.update(file_digest.digest())
    return digest.hexdigest()


def snapshot_date(paths: list[Path], as_of: datetime.date | None) -> datetime.date:
    """The snapshot's date: --as-of, else the date in the files' names (Companies House names
    its files BasicCompanyData-2021-05-01-part1_6.zip; a month alone means its last day)."""
    if as_of is not None:
        return as_of
    found = set()
    for path in paths:
        match = DATE_IN_NAME.search(path.name)
        if match is None:
            raise SnapshotDateError(
                f"{path}: no date in the file's name; say which day it shows with --as-of "
                "YYYY-MM-DD"
            )
        try:
            year, month, day = match.groups()
            found.add(
                datetime.date(int(year), int(month), int(day))
                if day
                else last_day(int(year), int(month))
            )
        except ValueError as error:
            raise SnapshotDateError(f"{path}: {match.group(0)} is not a date") from error
    if len(found) > 1:
        dates = ", ".join(sorted(day.isoformat() for day in found))
        raise SnapshotDateError(f"the files are of different days ({dates}): ingest each apart")
    return found.pop()


def last_day(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def expanded(paths: list[Path], folder: Path, suffix: str) -> list[Path]:
    """The files to read: plain files as they are, the ``suffix`` members of zips extracted
    into ``folder`` under names of our own (a member's path is never used, so it cannot write
    elsewhere), refusing a zip that expands beyond MAX_EXPANSION_RATIO or the disk budget."""
    out: list[Path] = []
    for path in paths:
        if not path.is_file():
            raise WrongFileError(f"{path}: no such file")
        if not zipfile.is_zipfile(path):
            out.append(path)
            continue
        out.extend(extract_members(path, folder, suffix, len(out)))
    return out


def extract_members(path: Path, folder: Path, suffix: str, start: int) -> list[Path]:
    budget = min(
        path.stat().st_size * MAX_EXPANSION_RATIO, int(settings.REGISTERS_MAX_EXPANDED_BYTES)
    )
    written = 0
    out = []
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise UnsafeArchiveError(f"{path}: not a readable zip ({error})") from error
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(suffix)
        ]
        if not members:
            raise UnsafeArchiveError(f"{path}: the zip holds no {suffix} file")
        for number, info in enumerate(members, start=start):
            if ".." in Path(info.filename).parts or info.filename.startswith("/"):
                raise UnsafeArchiveError(
                    f"{path}: member {info.filename!r} points outside the archive (zip slip)"
                )
            target = folder / f"part-{number:03d}{suffix}"
            try:
                with archive.open(info) as source, target.open("wb") as sink:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > budget:
                            raise UnsafeArchiveError(
                                f"{path}: {info.filename} expands beyond {budget:,} bytes "
                                f"({MAX_EXPANSION_RATIO}x the zip, or the "
                                "MUTUALWATCH_REGISTERS_MAX_EXPANDED_BYTES budget): a zip bomb "
                                "or the wrong file"
                            )
                        sink.write(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
                raise UnsafeArchiveError(
                    f"{path}: {info.filename} cannot be read whole ({error}): truncated?"
                ) from error
            out.append(target)
    return out


def first_line(path: Path) -> str:
    """The header line, without a byte-order mark; refuses a file that is not UTF-8 text."""
    with path.open("rb") as handle:
        raw = handle.readline(64 * 1024)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise WrongFileError(f"{path}: the header line is not UTF-8 text") from error


def check_bad_share(name: str, read: int, bad: int) -> None:
    if read and bad / read > BAD_ROW_LIMIT:
        raise WrongFileError(
            f"{name}: {bad:,} of {read:,} rows are bad (more than {BAD_ROW_LIMIT:.0%}): "
            "refused as the wrong file; nothing was stored"
        )
