"""Benchmark the OCDS ingest: parse only, compile only, and the whole ingest on SQLite and on
PostgreSQL, each as releases/s and peak memory, on a generated file (default 200 MB).

    uv run python bench/ingest_ocds.py [--size-mb 200] [--postgres URL] [--skip-postgres]

The file is made by replicating the real UK samples in ../shared/data/real-ocds under new
ocids and ids (mutualwatch.procurement.synthetic), three releases per ocid. Each phase runs in
its own process so its peak memory (max RSS) is its own. Prints a table; changes nothing but
temporary files and, for PostgreSQL, a scratch database it creates and drops.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
STANDARD = SHARED / "ocds-1.1.5"
REAL = SHARED / "real-ocds"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/mutualwatch_bench_ocds"


def setup_django(database_url: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualwatch.settings")
    os.environ.setdefault("MUTUALWATCH_OCDS_STANDARD", str(STANDARD))
    os.environ["MUTUALWATCH_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_DEBUG"] = "0"  # as in production: no per-query bookkeeping
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def generate(path: Path, size_mb: int) -> int:
    setup_django()
    from mutualwatch.procurement.synthetic import synthetic_releases, template_releases

    templates = template_releases([REAL])
    target = size_mb * 1024 * 1024
    written = 0
    import orjson

    with path.open("wb") as handle:
        handle.write(b'{"version":"1.1","publisher":{"name":"Benchmark"},"releases":[\n')
        block = 5000
        while handle.tell() < target:
            for release in synthetic_releases(templates, block, start=written):
                if written:
                    handle.write(b",\n")
                handle.write(orjson.dumps(release))
                written += 1
        handle.write(b"\n]}\n")
    return written


def phase_parse(path: Path) -> dict[str, Any]:
    setup_django()
    from mutualwatch.procurement.readers import iter_input_files, read_releases

    started = time.perf_counter()
    count = sum(1 for source in iter_input_files([path]) for _ in read_releases(source))
    return {"releases": count, "seconds": time.perf_counter() - started}


def phase_compile(path: Path) -> dict[str, Any]:
    """ocdsmerge alone over the file's releases (consecutive per ocid, as generated)."""
    setup_django()
    from mutualwatch.procurement.compile import compile_releases
    from mutualwatch.procurement.readers import iter_input_files, read_releases

    items = (item.data for source in iter_input_files([path]) for item in read_releases(source))
    count, seconds = 0, 0.0
    group: list[dict[str, Any]] = []
    for release in items:
        if group and release["ocid"] != group[0]["ocid"]:
            started = time.perf_counter()
            compile_releases(group, "1.1")
            seconds += time.perf_counter() - started
            count += len(group)
            group = []
        group.append(release)
    if group:
        started = time.perf_counter()
        compile_releases(group, "1.1")
        seconds += time.perf_counter() - started
        count += len(group)
    return {"releases": count, "seconds": seconds}


def phase_ingest(path: Path, database_url: str) -> dict[str, Any]:
    setup_django(database_url)
    from django.core.management import call_command

    from mutualwatch.procurement.services import ingest_paths

    call_command("migrate", verbosity=0)
    summary = ingest_paths([path])
    return {
        "releases": summary.releases_read,
        "seconds": summary.seconds,
        "new": summary.new,
        "quarantined": summary.quarantined,
        "ocids": summary.ocids_compiled,
    }


def run_phase(name: str, path: Path, database_url: str = "") -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", name, "--file", str(path)]
    if database_url:
        command += ["--database-url", database_url]
    result = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_admin(url: str, sql: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="A scratch database URL.")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        phases = {
            "parse": lambda: phase_parse(args.file),
            "compile": lambda: phase_compile(args.file),
            "ingest": lambda: phase_ingest(args.file, args.database_url),
        }
        result = phases[args.phase]()
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return

    if not STANDARD.exists() or not REAL.exists():
        sys.exit(f"The shared data is missing ({STANDARD}, {REAL}): see SOURCES.md.")
    with tempfile.TemporaryDirectory(prefix="mutualwatch-bench-") as scratch:
        path = Path(scratch) / "releases.json"
        started = time.perf_counter()
        count = generate(path, args.size_mb)
        size = path.stat().st_size / 1024 / 1024
        seconds = time.perf_counter() - started
        print(f"Generated {count:,} releases, {size:,.0f} MB, in {seconds:.0f} s")
        rows = [("parse only", run_phase("parse", path))]
        rows.append(("compile only (ocdsmerge)", run_phase("compile", path)))
        sqlite_url = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        rows.append(("whole ingest, SQLite", run_phase("ingest", path, sqlite_url)))
        if not args.skip_postgres:
            name = args.postgres.rsplit("/", 1)[1]
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
            postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
            try:
                rows.append(("whole ingest, PostgreSQL", run_phase("ingest", path, args.postgres)))
            finally:
                postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')

    parse_rate = rows[0][1]["releases"] / rows[0][1]["seconds"]
    compile_rate = rows[1][1]["releases"] / rows[1][1]["seconds"]
    print(
        f"\n{'phase':<28}{'releases':>10}{'seconds':>10}{'releases/s':>12}{'peak MB':>10}"
        f"{'vs parse':>10}{'vs compile':>12}"
    )
    for label, result in rows:
        rate = result["releases"] / result["seconds"]
        print(
            f"{label:<28}{result['releases']:>10,}{result['seconds']:>10.1f}{rate:>12,.0f}"
            f"{result['peak_mb']:>10,.0f}{rate / parse_rate:>10.2f}{rate / compile_rate:>12.2f}"
        )
    print(f"\ncores available: {os.cpu_count()}; the ingest uses one.")
    print("ratios: the row's releases/s over parse only's, and over compile only's.")


if __name__ == "__main__":
    main()
