"""Docs that cannot drift from the code."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutualwatch.branches.permissions import permissions_markdown
from mutualwatch.cli import CLI_REFERENCE, cli_reference, own_commands
from mutualwatch.publishing.management.commands import docs_cli

REPO = Path(__file__).resolve().parents[1]


def test_the_permissions_page_shows_the_permission_table():
    assert permissions_markdown() in (REPO / "docs" / "permissions.md").read_text()


def test_every_environment_variable_the_settings_read_is_in_env_example():
    settings_source = (REPO / "mutualwatch" / "settings.py").read_text()
    read = set(
        re.findall(r"""(?:environ\.get|env_flag|env_list)\(\s*["']([A-Z_]+)["']""", settings_source)
    )
    documented = set(re.findall(r"^([A-Z_]+)=", (REPO / ".env.example").read_text(), re.MULTILINE))
    assert read, "no environment variables found: the pattern is out of date"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_the_readme_names_the_two_commands_and_ci_runs_the_test_command():
    readme = (REPO / "README.md").read_text()
    assert "scripts/demo" in readme
    assert "scripts/test" in readme
    assert "scripts/test" in (REPO / ".ci" / "run").read_text()


def test_the_cli_reference_is_what_the_commands_say():
    """docs/cli.md is generated: regenerate it with `uv run mutualwatch docs-cli`."""
    assert CLI_REFERENCE == REPO / "docs" / "cli.md"
    committed = CLI_REFERENCE.read_text(encoding="utf-8")
    assert committed == cli_reference(), "docs/cli.md is stale: run `uv run mutualwatch docs-cli`"
    for name, command in own_commands():
        assert f"## {name}\n" in committed
        assert f"usage: mutualwatch {name} " in committed
        assert command.help.split()[0] in committed
    assert "[docs/cli.md](docs/cli.md)" in (REPO / "README.md").read_text()


def test_docs_cli_check_fails_on_a_stale_reference_and_rewrites_it(monkeypatch, tmp_path):
    stale = tmp_path / "cli.md"
    stale.write_text(cli_reference().replace("--published-only", "--published"))
    monkeypatch.setattr(docs_cli, "CLI_REFERENCE", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("docs_cli", "--check")
    call_command("docs_cli")
    assert stale.read_text() == cli_reference()
    call_command("docs_cli", "--check")


def test_the_procurement_doc_describes_the_benchmark_and_links_its_results():
    """Measurements are a diary, kept with the benchmark; the doc says how it measures."""
    method = (REPO / "docs" / "procurement.md").read_text()
    results = (REPO / "bench" / "results" / "ingest_ocds.md").read_text()
    assert "](../bench/results/ingest_ocds.md)" in method
    for measured in ("whole ingest, SQLite, 2 cores", "| SQLite |"):
        assert measured not in method
        assert measured in results


def test_the_changelog_has_dated_versions_newest_first_matching_the_project():
    import datetime
    import tomllib

    headings = re.findall(
        r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", (REPO / "CHANGELOG.md").read_text(), re.M
    )
    all_headings = re.findall(r"^## .*$", (REPO / "CHANGELOG.md").read_text(), re.M)
    assert len(headings) == len(all_headings), "every version heading is 'N.N.N (YYYY-MM-DD)'"
    dates = [datetime.date.fromisoformat(day) for _, day in headings]
    assert dates == sorted(dates, reverse=True)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert headings[0][0] == project
