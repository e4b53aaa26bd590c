"""Killed with SIGKILL mid-ingest and run again, the database ends exactly as an uninterrupted
run leaves it. Real subprocesses, a file-based SQLite database each."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mutualwatch.procurement.synthetic import (
    synthetic_releases,
    template_releases,
    write_json_lines,
    write_release_package,
)
from tests.shared_data import BLUETAIL, OCDS_STANDARD, require

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

DUMP = (
    "import json, django; django.setup(); "
    "from tests.procurement.dump import canonical_dump; "
    "print(json.dumps(canonical_dump(), sort_keys=True))"
)


def env_for(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MUTUALWATCH_OCDS_STANDARD=str(OCDS_STANDARD),
        DJANGO_SETTINGS_MODULE="mutualwatch.settings",
        MUTUALWATCH_LOG_LEVEL="WARNING",
    )
    return env


def manage(database: Path, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def migrate(database: Path) -> None:
    subprocess.run(manage(database, "migrate", "-v0"), env=env_for(database), cwd=ROOT, check=True)


SERIAL = ("--workers", "1")
PARALLEL = ("--workers", "2", "--parallel-from", "1")


def ingest_command(database: Path, inputs: Path, workers: tuple[str, ...] = SERIAL) -> list[str]:
    return manage(
        database, "ingest-ocds", str(inputs), "--no-progress", "--batch-size", "150", *workers
    )


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def gone(pids: set[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.1)
    return False


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
        try:
            return int(connection.execute(sql).fetchone()[0])
        except sqlite3.OperationalError:  # locked or not yet created: try again
            return -1


def run_and_kill(
    database: Path,
    inputs: Path,
    until_sql: str,
    threshold: int,
    workers: tuple[str, ...] = SERIAL,
) -> bool:
    """Start an ingest and SIGKILL it once `until_sql` reaches the threshold. Returns whether
    it was killed (False if it finished first). Its worker processes must leave with it."""
    process = subprocess.Popen(
        ingest_command(database, inputs, workers),
        env=env_for(database),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if count(database, until_sql) >= threshold:
                workers_left = children(process.pid)
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
                assert gone(workers_left, within=10), "a worker outlived the killed ingest"
                return True
            time.sleep(0.01)
        process.wait(timeout=60)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def dump(database: Path) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", DUMP],
        env=env_for(database),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def make_inputs(directory: Path) -> int:
    templates = template_releases([require(BLUETAIL)])
    directory.mkdir()
    total = 0
    # Ocids span files (3 releases each, 750 per file): an ocid's releases arrive in two runs.
    for part in range(4):  # 750 releases each
        total += write_release_package(
            directory / f"part-{part}.json",
            synthetic_releases(templates, 750, start=part * 750 - part),
            publisher=f"Publisher {part % 2}",
        )
    total += write_json_lines(directory / "part-9.jsonl", synthetic_releases(templates, 600))
    return total


@pytest.mark.parametrize("workers", [SERIAL, PARALLEL], ids=["one-process", "two-workers"])
def test_sigkill_at_any_point_then_rerun_equals_an_uninterrupted_run(
    tmp_path: Path, workers: tuple[str, ...]
) -> None:
    """The reference runs in one process; the interrupted ingest with the given workers."""
    require(OCDS_STANDARD)
    inputs = tmp_path / "inputs"
    make_inputs(inputs)

    reference = tmp_path / "reference.sqlite3"
    migrate(reference)
    subprocess.run(
        ingest_command(reference, inputs),
        env=env_for(reference),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    expected = dump(reference)
    releases = count(reference, "SELECT COUNT(*) FROM procurement_release")
    ocids = count(reference, "SELECT COUNT(*) FROM procurement_procurementprocess")
    assert releases > 2500
    assert ocids > 900

    interrupted = tmp_path / "interrupted.sqlite3"
    migrate(interrupted)
    # 1. Killed while storing: some releases committed, not all.
    assert run_and_kill(
        interrupted, inputs, "SELECT COUNT(*) FROM procurement_release", releases // 3
    ), "the ingest finished before it could be killed while storing"
    stored = count(interrupted, "SELECT COUNT(*) FROM procurement_release")
    assert 0 < stored < releases
    # 2. Killed while compiling: some ocids compiled, some still marked.
    assert run_and_kill(
        interrupted,
        inputs,
        "SELECT COUNT(*) FROM procurement_procurementprocess WHERE NOT needs_compile",
        ocids // 3,
        workers,
    ), "the ingest finished before it could be killed while compiling"
    pending = count(
        interrupted, "SELECT COUNT(*) FROM procurement_procurementprocess WHERE needs_compile"
    )
    assert pending > 0
    # 3. Run to the end.
    subprocess.run(
        ingest_command(interrupted, inputs, workers),
        env=env_for(interrupted),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert dump(interrupted) == expected
