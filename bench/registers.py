"""Benchmark the registers: `ingest-companies` against DuckDB's own read_csv of the same file,
and `link-suppliers` for every supplier (wall time, peak memory, precision and recall against
the world's ground truth) beside a naive baseline (an exact match on the cleaned name), all in
one run on one demo world.

    uv run python bench/registers.py                    # the national world (5 million
                                                        # companies, about a million releases)
    uv run python bench/registers.py --size demo        # quicker: 50,000 companies
    uv run python bench/registers.py --world DIR        # a world generated before

Targets (national, this 2-core machine): ingest-companies at least 0.5 of read_csv's rows/s;
the whole link in under 15 minutes and under 8 GB peak. Each command runs in a child process,
so its peak resident memory (ru_maxrss of the children) is its own. Prints a table; changes
nothing but a scratch data directory.
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
sys.path.insert(0, str(ROOT))

from tests.shared_data import OCDS_STANDARD  # noqa: E402

CENSUS = "2025-12-31"
GIB = 1024**3


def run(command: list[str], environment: dict[str, str]) -> dict[str, Any]:
    """One mutualwatch command in a child process: its wall seconds (start-up included), peak
    memory, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "mutualwatch", *command],
        check=True,
        env=environment,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "peak_gib": max(peak, before) * 1024 / GIB,
        "output": finished.stdout,
    }


def own_seconds(output: str) -> float:
    """The time ingest-companies reports for its own work (without Python's start-up)."""
    line = next(line for line in output.splitlines() if line.startswith("Time:"))
    return float(line.split()[1].replace(",", ""))


def duckdb_read_csv(path: Path, scratch: Path) -> float:
    """DuckDB's own read of the same file into a table: the physical limit we compare with."""
    script = (
        "import duckdb, sys, time\n"
        "c = duckdb.connect(sys.argv[2])\n"
        "c.execute('SET enable_progress_bar_print = false')\n"
        "t = time.perf_counter()\n"
        'c.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", '
        "[sys.argv[1]])\n"
        "print(time.perf_counter() - t)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script, str(path), str(scratch / "read_csv.duckdb")],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(output.stdout.strip().splitlines()[-1])


def scores(world: Path, environment: dict[str, str]) -> dict[str, Any]:
    """Precision and recall of the links made, and of the naive baseline, in a child process
    with the scratch database's settings."""
    script = f"""
import json, os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualwatch.settings")
import django
django.setup()
from bench.registers_scoring import score_world
print(json.dumps(score_world({str(world)!r})))
"""
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True,
        env=environment,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="national", choices=["tiny", "demo", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--world", type=Path, help="Use this generated world.")
    arguments = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="mutualwatch-bench-registers-"))
    environment = os.environ | {
        "MUTUALWATCH_DATA_DIR": str(scratch / "data"),
        "MUTUALWATCH_OCDS_STANDARD": str(OCDS_STANDARD),
        "MUTUALWATCH_LOG_LEVEL": "WARNING",
        "DJANGO_DEBUG": "0",
    }
    environment.pop("DATABASE_URL", None)
    world = arguments.world
    if world is None:
        world = scratch / "world"
        generated = run(
            ["generate-world", "--seed", str(arguments.seed), "--size", arguments.size,
             "--out", str(world)],
            environment,
        )  # fmt: skip
        print(f"world generated in {generated['seconds']:,.0f} s", flush=True)
    companies = world / "companies-house" / "BasicCompanyData-demo.csv"
    rows = sum(1 for _ in companies.open("rb")) - 1
    run(["migrate"], environment)
    read_csv = duckdb_read_csv(companies, scratch)
    ingest = run(
        ["ingest-companies", str(companies), "--as-of", CENSUS, "--no-progress"], environment
    )
    run(["import-register", str(world / "register.json")], environment)
    ocds = run(["ingest-ocds", str(world / "ocds"), "--no-progress"], environment)
    run(["ingest-societies", str(world / "co-operatives-uk" / "open_data_organisations-demo.csv"),
         "--as-of", CENSUS], environment)  # fmt: skip
    run(["ingest-psc", str(world / "bods"), "--as-of", CENSUS], environment)
    link = run(["link-suppliers", "--no-progress"], environment)
    quality = scores(world, environment)
    ingest_seconds = own_seconds(ingest["output"])
    ratio = read_csv / ingest_seconds
    lines = [
        f"Registers benchmark: {arguments.size} world (seed {arguments.seed}), "
        f"{rows:,} companies, {os.cpu_count()} cores",
        "",
        "| step | seconds | rows/s | peak GiB | target |",
        "|---|---:|---:|---:|---|",
        f"| DuckDB read_csv into a table | {read_csv:,.1f} | {rows / read_csv:,.0f} | | |",
        f"| ingest-companies (its own time; {ingest['seconds']:,.1f} s with start-up) | "
        f"{ingest_seconds:,.1f} | {rows / ingest_seconds:,.0f} | {ingest['peak_gib']:.2f} | "
        f">= 0.5 of read_csv: {ratio:.2f} |",
        f"| ingest-ocds (for the links) | {ocds['seconds']:,.1f} | | {ocds['peak_gib']:.2f} | |",
        f"| link-suppliers | {link['seconds']:,.1f} | | {link['peak_gib']:.2f} | "
        f"< 900 s and < 8 GiB |",
        "",
        "| linking | precision | recall | supplier mentions |",
        "|---|---:|---:|---:|",
        f"| mutualwatch (identifier, splink, unique name) | {quality['ours']['precision']:.4f} | "
        f"{quality['ours']['recall']:.4f} | {quality['mentions']:,} |",
        f"| naive: exact cleaned name | {quality['naive']['precision']:.4f} | "
        f"{quality['naive']['recall']:.4f} | {quality['mentions']:,} |",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
