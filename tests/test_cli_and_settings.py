"""The `mutualwatch` command and settings read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mutualwatch", *args],
        cwd=REPO,
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_help_lists_mutualwatchs_own_commands_with_a_line_each():
    result = run("--help")
    assert result.returncode == 0
    assert "Usage: mutualwatch COMMAND" in result.stdout
    for command in ("import-register", "export-register", "demo", "generate-world"):
        line = next(line for line in result.stdout.splitlines() if f"  {command} " in line)
        assert len(line.split(maxsplit=1)[1]) > 10, line


def test_a_dashed_command_name_runs_the_command():
    result = run("help", "export-register")
    assert result.returncode == 0
    assert "--published-only" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run("check", MUTUALWATCH_ENV="production", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_database_url_chooses_the_database(tmp_path):
    database = tmp_path / "chosen.sqlite3"
    result = run("migrate", "-v0", DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert database.stat().st_size > 0


def test_the_embedded_database_uses_write_ahead_logging(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); "
        "print(cursor.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "mutualwatch.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "wal"


def test_gunicorn_takes_the_projects_config_and_loads_the_site():
    checked = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--print-config", "mutualwatch.wsgi"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    config = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in checked.stdout.splitlines())
    }
    assert config["threads"] == "1"
    assert config["workers"] == str(2 * (os.cpu_count() or 1))
