"""Benchmark the OCDS ingest: parse only, compile only (ocdsmerge, the peer's tool, and ours),
and the whole ingest on SQLite and on PostgreSQL with one core and with every core, each as
releases/s and peak memory, on a generated file (default 200 MB).

    uv run python bench/ingest_ocds.py [--size-mb 200] [--postgres URL] [--skip-postgres]
        [--repeat 3] [--memory-check]

"One core" pins the ingest (and its workers) to one CPU with sched_setaffinity and runs it with
one process; "N cores" lets it use N worker processes. PostgreSQL's server is not pinned: on a
two-core machine it shares the cores with the ingest in both cases.

The file is made by replicating the real UK samples in ../shared/data/real-ocds under new
ocids and ids (mutualwatch.procurement.synthetic), three releases per ocid. Each phase runs in
its own process so its peak memory (max RSS) is its own; for the whole ingest it is sampled
over the process and its workers together, and the seconds spent reading and storing (which
compiles the ocids that arrive whole) are shown apart from compiling the rest.
Prints a table; changes nothing but temporary files and, for PostgreSQL, a scratch database it
creates and drops.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.shared_data import OCDS_STANDARD as STANDARD
from tests.shared_data import REAL_OCDS as REAL

ROOT = Path(__file__).resolve().parents[1]
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


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended while being read
    return total * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


class TreePeak:
    """The highest resident memory of this process and its workers together, sampled five
    times a second (a worker's own maxrss would count the parent's pages it was forked with
    before it exec'd)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peak, peak_mb())


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


def phase_compile(path: Path, ours: bool) -> dict[str, Any]:
    """One merge alone over the file's releases (consecutive per ocid, as generated): ocdsmerge
    itself, or compile_releases (ours, handing odd cases to ocdsmerge)."""
    setup_django()
    from ocdsmerge import Merger

    from mutualwatch.procurement.compile import compile_releases
    from mutualwatch.procurement.readers import iter_input_files, read_releases
    from mutualwatch.procurement.standard import load_standard

    merger = Merger(merge_rules=load_standard().merge_rules["1.1"])

    def merge(group: list[dict[str, Any]]) -> None:
        if ours:
            compile_releases(group, "1.1")
        else:
            merger.create_compiled_release(group)

    items = (item.data for source in iter_input_files([path]) for item in read_releases(source))
    count, seconds = 0, 0.0
    group: list[dict[str, Any]] = []
    for release in items:
        if group and release["ocid"] != group[0]["ocid"]:
            started = time.perf_counter()
            merge(group)
            seconds += time.perf_counter() - started
            count += len(group)
            group = []
        group.append(release)
    if group:
        started = time.perf_counter()
        merge(group)
        seconds += time.perf_counter() - started
        count += len(group)
    return {"releases": count, "seconds": seconds}


def phase_ingest(path: Path, database_url: str, cores: int) -> dict[str, Any]:
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])  # inherited by workers
    setup_django(database_url)
    from django.core.management import call_command

    from mutualwatch.procurement.services import ingest_paths

    call_command("migrate", verbosity=0)
    sampler = TreePeak()
    summary = ingest_paths([path], workers=cores)
    tree_peak = sampler.stop()
    return {
        "releases": summary.releases_read,
        "seconds": summary.seconds,
        "new": summary.new,
        "quarantined": summary.quarantined,
        "ocids": summary.ocids_compiled,
        "peak_mb": tree_peak,
        "storing": summary.storing_seconds,
    }


def run_phase(name: str, path: Path, database_url: str = "", cores: int = 1) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", name, "--file", str(path)]
    command += ["--cores", str(cores)]
    if database_url:
        command += ["--database-url", database_url]
    before = cpu_ticks()
    result = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["steal"] = steal_share(before, cpu_ticks())
    return measured


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far, by kind (/proc/stat: user, nice, system, idle, iowait,
    irq, softirq, steal)."""
    return [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]


def steal_share(before: list[int], after: list[int]) -> float:
    """The share of the time the hypervisor gave the machine's cores to others: on a shared
    virtual machine, what makes one run slower than the next."""
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return spent[7] / max(sum(spent), 1)


def repeated(times: int, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The median of several runs by time, with the range of their rates and the steal."""
    runs = sorted((measure() for _ in range(times)), key=lambda run: run["seconds"])
    median = dict(runs[len(runs) // 2])
    rates = [run["releases"] / run["seconds"] for run in runs]
    median["range"] = (min(rates), max(rates))
    median["steal"] = max(run["steal"] for run in runs)
    return median


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
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs of each phase; the median is shown."
    )
    parser.add_argument(
        "--memory-check",
        action="store_true",
        help="Only parse and the whole ingest on SQLite with every core: for a large file "
        "(--size-mb 4000 is about a million releases), to see peak memory stay flat.",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--cores", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        phases = {
            "parse": lambda: phase_parse(args.file),
            "compile-ocdsmerge": lambda: phase_compile(args.file, ours=False),
            "compile-ours": lambda: phase_compile(args.file, ours=True),
            "ingest": lambda: phase_ingest(args.file, args.database_url, args.cores),
        }
        result = phases[args.phase]()
        result.setdefault("peak_mb", peak_mb())
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
        times = max(args.repeat, 1)
        rows = [("parse only", repeated(times, lambda: run_phase("parse", path)))]
        compiles = [
            ("compile only (ocdsmerge)", "compile-ocdsmerge"),
            ("compile only (ours)", "compile-ours"),
        ]
        for label, phase in [] if args.memory_check else compiles:
            rows.append((label, repeated(times, lambda phase=phase: run_phase(phase, path))))
        all_cores = len(os.sched_getaffinity(0))

        def on_sqlite(cores: int) -> dict[str, Any]:
            sqlite_file = Path(scratch) / f"bench-{cores}.sqlite3"
            try:
                return run_phase("ingest", path, f"sqlite:///{sqlite_file}", cores)
            finally:
                for leftover in Path(scratch).glob(f"{sqlite_file.name}*"):
                    leftover.unlink()

        def on_postgres(cores: int) -> dict[str, Any]:
            name = args.postgres.rsplit("/", 1)[1]
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
            postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
            try:
                return run_phase("ingest", path, args.postgres, cores)
            finally:
                postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')

        databases = [("SQLite", on_sqlite)]
        if not (args.skip_postgres or args.memory_check):
            databases.append(("PostgreSQL", on_postgres))
        for database, run_on in databases:
            for cores in [all_cores] if args.memory_check else sorted({1, all_cores}):
                label = f"whole ingest, {database}, {cores} core{'s' if cores > 1 else ''}"
                rows.append(
                    (label, repeated(times, lambda run_on=run_on, cores=cores: run_on(cores)))
                )

    rates = {label: result["releases"] / result["seconds"] for label, result in rows}
    parse_rate = rates["parse only"]
    compile_rate = rates.get("compile only (ocdsmerge)")
    print(
        f"\n{'phase':<36}{'releases':>10}{'seconds':>10}{'releases/s':>12}{'range':>16}"
        f"{'steal':>7}{'peak MB':>9}{'vs parse':>10}{'vs compile':>12}"
    )
    for label, result in rows:
        rate = result["releases"] / result["seconds"]
        low, high = result["range"]
        print(
            f"{label:<36}{result['releases']:>10,}{result['seconds']:>10.1f}{rate:>12,.0f}"
            f"{f'{low:,.0f}-{high:,.0f}':>16}{result['steal']:>7.0%}{result['peak_mb']:>9,.0f}"
            f"{rate / parse_rate:>10.2f}"
            + (f"{rate / compile_rate:>12.2f}" if compile_rate else f"{'-':>12}")
            + (f"   (storing {result['storing']:.1f} s)" if "storing" in result else "")
        )
    print(
        f"\ncores available: {len(os.sched_getaffinity(0))}; load average at the end: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"each row: the median of {max(args.repeat, 1)} runs by time; range: their releases/s; "
        "steal: the most CPU time the hypervisor took in any of them."
    )
    print("ratios: the row's releases/s over parse only's, and over ocdsmerge's compile only.")
    print("targets: whole ingest >= 2,500 releases/s on one core, >= 4,500 on two; < 500 MB.")


if __name__ == "__main__":
    main()
