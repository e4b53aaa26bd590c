"""`mutualwatch generate-world`: a thin command with clean errors."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_the_command_writes_a_world_and_reports_counts(tmp_path: Path, capsys):
    out = tmp_path / "world"
    call_command("generate_world", "--seed", "5", "--size", "tiny", "--out", str(out))
    assert (out / "register.json").is_file()
    assert (out / "parameters.json").is_file()
    assert "releases" in capsys.readouterr().out


def test_a_non_empty_directory_that_is_not_a_world_is_refused(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not a previous demo world"):
        call_command("generate_world", "--size", "tiny", "--out", str(tmp_path))
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "register.json").exists()


def test_a_file_is_refused(tmp_path: Path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        call_command("generate_world", "--size", "tiny", "--out", str(target))


def test_a_negative_seed_is_refused(tmp_path: Path):
    with pytest.raises(CommandError, match="--seed"):
        call_command("generate_world", "--seed", "-1", "--size", "tiny", "--out", str(tmp_path))


def test_an_unknown_size_is_refused(tmp_path: Path):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("generate_world", "--size", "huge", "--out", str(tmp_path))
