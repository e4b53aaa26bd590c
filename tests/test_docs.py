"""Docs that cannot drift from the code."""

import re
from pathlib import Path

from mutualwatch.branches.permissions import permissions_markdown

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
