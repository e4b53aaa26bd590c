"""The `mutualwatch` command and settings read from the environment."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from mutualwatch.cli import demo_environment
from mutualwatch.environment import DEFAULT_DATA_DIR, data_dir

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_in(os.environ | env, *args)


def run_embedded(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``run``, on the embedded SQLite database whatever database the tests run on."""
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    return run_in(environment | env, *args)


def run_in(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mutualwatch", *args],
        cwd=REPO,
        env=environment,
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


def python_with_settings(code: str, **env: str) -> str:
    """What ``code`` prints, run with mutualwatch's settings and this environment."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "mutualwatch.settings"} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_embedded_database_uses_write_ahead_logging(tmp_path):
    code = (
        "from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); "
        "print(cursor.fetchone()[0])"
    )
    database_url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    assert python_with_settings(code, DATABASE_URL=database_url) == "wal"


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


def postgres_options(**env: str) -> str:
    """The options PostgreSQL connections are opened with, as settings make them from env."""
    return python_with_settings(
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'].get('options', ''))",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused",
        **env,
    )


def test_postgresql_connections_cost_random_reads_as_memory_unless_told_otherwise():
    assert postgres_options() == "-c random_page_cost=1.1"
    assert postgres_options(MUTUALWATCH_POSTGRES_RANDOM_PAGE_COST="2") == "-c random_page_cost=2"
    assert postgres_options(MUTUALWATCH_POSTGRES_RANDOM_PAGE_COST="") == ""


def test_demo_runs_any_command_against_the_demos_database(tmp_path):
    made = run_embedded("--demo", "migrate", "-v0", MUTUALWATCH_DATA_DIR=str(tmp_path))
    assert made.returncode == 0, made.stderr
    superuser = run_embedded(
        "--demo",
        "createsuperuser",
        "--noinput",
        "--username",
        "ada",
        "--email",
        "ada@example.org",
        MUTUALWATCH_DATA_DIR=str(tmp_path),
        DJANGO_SUPERUSER_PASSWORD="correct-horse-battery-staple",
    )
    assert superuser.returncode == 0, superuser.stderr
    demo_database = tmp_path / "demo" / "mutualwatch.sqlite3"
    with sqlite3.connect(demo_database) as connection:
        users = connection.execute("SELECT username, is_superuser FROM auth_user").fetchall()
    assert users == [("ada", 1)]
    assert not (tmp_path / "mutualwatch.sqlite3").exists()


def test_a_command_without_a_database_names_the_demo_switch_and_leaves_no_empty_file(tmp_path):
    result = run_embedded(
        "createsuperuser",
        "--noinput",
        "--username",
        "ada",
        MUTUALWATCH_DATA_DIR=str(tmp_path),
        DJANGO_SUPERUSER_PASSWORD="correct-horse-battery-staple",
    )
    assert result.returncode == 1
    assert "no such table: auth_user" in result.stderr
    assert "`mutualwatch migrate` makes one" in result.stderr
    assert "`mutualwatch --demo createsuperuser`" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("mutualwatch.sqlite3*"))


def test_a_command_that_needs_no_database_leaves_none_behind_and_migrate_keeps_its_own(tmp_path):
    assert run_embedded("check", MUTUALWATCH_DATA_DIR=str(tmp_path)).returncode == 0
    assert not list(tmp_path.glob("mutualwatch.sqlite3*"))
    assert run_embedded("migrate", "-v0", MUTUALWATCH_DATA_DIR=str(tmp_path)).returncode == 0
    assert (tmp_path / "mutualwatch.sqlite3").stat().st_size > 0


def test_the_demo_environment_is_the_demo_folder_inside_the_usual_one_and_never_a_server():
    real = {"MUTUALWATCH_DATA_DIR": "/srv/mutualwatch", "DATABASE_URL": "postgres://db/mw"}
    assert demo_environment(real) == {
        "MUTUALWATCH_DEMO": "1",
        "MUTUALWATCH_DATA_DIR": "/srv/mutualwatch/demo",
    }
    unset = demo_environment({"MUTUALWATCH_DATA_DIR": ""})
    assert unset["MUTUALWATCH_DATA_DIR"] == str(REPO / "var" / "demo")
    already = {"MUTUALWATCH_DEMO": "yes", "MUTUALWATCH_DATA_DIR": "/srv/shown"}
    assert demo_environment(already) == already


def test_an_empty_data_folder_variable_means_the_default_one():
    assert data_dir("") == data_dir(None) == DEFAULT_DATA_DIR == REPO / "var"
    assert data_dir("/srv/mutualwatch") == Path("/srv/mutualwatch")
