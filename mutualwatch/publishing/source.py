"""The running site's own source code, as the GNU AGPL asks of anyone who hosts it (section 13:
users interacting with it over a network must be able to get its Corresponding Source).

The archive is built from the files the site runs from, so a host's own changes are in it,
and only from the project's own directories and files: never the data directory, settings
files such as ``.env``, installed packages or caches.
"""

import gzip
import hashlib
import io
import os
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

TOP_LEVEL_FILES = (
    "LICENSE",
    "README.md",
    "CHANGELOG.md",
    "pyproject.toml",
    "uv.lock",
    "package.json",
    "package-lock.json",
    "manage.py",
    ".env.example",
    ".gitignore",
)
PROJECT_DIRECTORIES = ("mutualwatch", "scripts", "docs", "bench", "tests", ".ci")
SKIPPED_PARTS = frozenset({"__pycache__", "node_modules", ".mypy_cache", ".pytest_cache"})
SKIPPED_SUFFIXES = (".pyc", ".pyo")
ARCHIVE_ROOT = "mutualwatch"


def source_files(base: Path) -> list[Path]:
    """The project's files under ``base``, as paths relative to it, sorted."""
    found = [Path(name) for name in TOP_LEVEL_FILES if (base / name).is_file()]
    for directory in PROJECT_DIRECTORIES:
        found += list(_project_files(base, base / directory))
    return sorted(found)


def _project_files(base: Path, directory: Path) -> Iterator[Path]:
    if not directory.is_dir():
        return
    for path in directory.rglob("*"):
        relative = path.relative_to(base)
        if SKIPPED_PARTS.intersection(relative.parts) or path.name.endswith(SKIPPED_SUFFIXES):
            continue
        if path.is_file() and not path.is_symlink():
            yield relative


def fingerprint(base: Path, files: list[Path]) -> str:
    """Changes whenever a file is added, removed or changed (by size or modification time)."""
    digest = hashlib.sha256()
    for relative in files:
        stat = (base / relative).stat()
        digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def source_archive(base: Path, files: list[Path]) -> bytes:
    """A .tar.gz of the files, under one top directory, with fixed owners and times so the
    same files always give the same archive."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed,
        tarfile.open(fileobj=compressed, mode="w") as archive,
    ):
        for relative in files:
            info = archive.gettarinfo(str(base / relative), f"{ARCHIVE_ROOT}/{relative}")
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            with (base / relative).open("rb") as handle:
                archive.addfile(info, handle)
    return buffer.getvalue()


def cached_source_archive(base: Path, cache_dir: Path) -> Path:
    """The archive of the current files, built once per fingerprint and kept in ``cache_dir``."""
    files = source_files(base)
    path = cache_dir / f"mutualwatch-source-{fingerprint(base, files)}.tar.gz"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
        partial.write_bytes(source_archive(base, files))
        partial.replace(path)  # whole or absent, even with two requests at once
        for older in cache_dir.glob("mutualwatch-source-*.tar.gz"):
            if older != path:
                older.unlink(missing_ok=True)
    return path
