"""docs/workforce.md says what the instrument, the settings and the commands are."""

import re
from pathlib import Path

from django.core.management import get_commands

from mutualwatch.cli import own_commands
from mutualwatch.workforce.instrument import TERMS, TimePoint

DOC = (Path(__file__).resolve().parents[2] / "docs" / "workforce.md").read_text()
ENV_EXAMPLE = (Path(__file__).resolve().parents[2] / ".env.example").read_text()


def test_every_time_point_and_term_of_the_instrument_is_described():
    for label in TimePoint.labels:
        assert f"| {label} |" in DOC
    for label, _ in TERMS.values():
        assert f"| {label} |" in DOC


def test_every_setting_and_command_it_names_exists():
    settings_named = set(re.findall(r"`(MUTUALWATCH_[A-Z_]+)`", DOC))
    assert settings_named
    for name in settings_named:
        assert f"\n{name}=" in ENV_EXAMPLE, name
    commands = {name for name, _ in own_commands()} | set(get_commands())
    named = set(re.findall(r"`mutualwatch ([a-z_-]+)", DOC))
    assert named
    assert named - commands == set()
