"""`mutualwatch demo`, the README's first command, end to end on the tiny world."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import OCDS_STANDARD

REPO = Path(__file__).resolve().parents[2]


def run_demo(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"MUTUALWATCH_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("MUTUALWATCH_DEMO", None)
    if OCDS_STANDARD.is_dir():
        env["MUTUALWATCH_OCDS_STANDARD"] = str(OCDS_STANDARD)
    return subprocess.run(
        [sys.executable, "-m", "mutualwatch", "demo", "--size", "tiny", "--no-serve"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.slow
def test_demo_loads_the_world_into_its_own_database_once(tmp_path):
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    database = tmp_path / "demo" / "mutualwatch.sqlite3"
    with sqlite3.connect(database) as connection:
        authorities = connection.execute("SELECT COUNT(*) FROM register_authority").fetchone()[0]
        published = connection.execute(
            "SELECT COUNT(*) FROM register_arrangement WHERE state = 'published'"
        ).fetchone()[0]
        indexed = connection.execute("SELECT COUNT(*) FROM publishing_searchdocument").fetchone()[0]
        analyses = connection.execute("SELECT COUNT(*) FROM analysis_fatesresult").fetchone()[0]
    assert authorities == 5
    assert published > 0
    assert indexed >= authorities
    assert analyses == 1

    second = run_demo(tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "Using the demo world already generated" in second.stdout
    assert "Register: 0 records loaded or updated." in second.stdout
