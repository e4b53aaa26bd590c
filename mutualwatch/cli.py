"""The `mutualwatch` command: every operation, as a Django management command.

`mutualwatch` with no arguments (or `--help`) lists mutualwatch's own commands first, with a
line on what each does; `mutualwatch help COMMAND` gives a command's options, and docs/cli.md
(written by `mutualwatch docs-cli`) gives every command's.
"""

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from django.core.management import (
    BaseCommand,
    ManagementUtility,
    get_commands,
    load_command_class,
)
from django.core.management.base import DjangoHelpFormatter

OWN_APP_PREFIX = "mutualwatch."

INTRODUCTION = """\
mutualwatch: the evidence on what happens when councils hand public services to mutuals,
co-operatives, trading companies or private contractors.

Usage: mutualwatch COMMAND [options]      (mutualwatch help COMMAND for its options)

mutualwatch's commands:
"""


CLI_REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
# The reference's text does not depend on the terminal it was generated in.
REFERENCE_WIDTH = 96
REFERENCE_HEADER = """\
# Command line reference

Every `mutualwatch` command and its options, as `mutualwatch help COMMAND` prints them
(`uv run mutualwatch COMMAND` runs one). Generated from the commands themselves by
`uv run mutualwatch docs-cli`: do not edit it by hand; a test fails when it differs from what
the commands say.

Every command also takes Django's common options, left out below: `-v/--verbosity {0,1,2,3}`,
`--settings`, `--pythonpath`, `--traceback`, `--no-color`, `--force-color` and `--version`.
Django's own commands (`migrate`, `runserver`, `createsuperuser`,
`db_worker`, ...) work too: `uv run mutualwatch help --commands` lists them.
"""
DJANGO_COMMON_OPTIONS = {
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--version",
}


def own_commands() -> Iterator[tuple[str, BaseCommand]]:
    """mutualwatch's own commands, by their dashed names, in order."""
    for name, app in sorted(get_commands().items()):
        if app.startswith(OWN_APP_PREFIX):
            yield name.replace("_", "-"), load_command_class(app, name)


def describe_own_commands() -> str:
    lines = [INTRODUCTION]
    for name, command in own_commands():
        summary = (command.help or "").strip().splitlines()
        lines.append(f"  {name:<22} {summary[0] if summary else ''}")
    lines.append(
        "\nDjango's own commands (migrate, runserver, createsuperuser, db_worker, ...) work too:"
        "\n  mutualwatch help --commands lists them all."
    )
    return "\n".join(lines)


class ReferenceFormatter(DjangoHelpFormatter):
    """Django's help layout at a fixed width, not the terminal's."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=REFERENCE_WIDTH, max_help_position=32)


def cli_reference() -> str:
    """docs/cli.md: every own command's help, as Markdown."""
    sections = [REFERENCE_HEADER]
    for name, command in own_commands():
        command.suppressed_base_arguments = (
            set(command.suppressed_base_arguments) | DJANGO_COMMON_OPTIONS
        )
        parser = command.create_parser("mutualwatch", name)
        parser.formatter_class = ReferenceFormatter
        sections.append(f"## {name}\n\n```text\n{parser.format_help().strip()}\n```\n")
    return "\n".join(sections)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualwatch.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "mutualwatch"
    if len(argv) == 1 or argv[1:] in (["--help"], ["-h"], ["help"]):
        import django

        django.setup()
        sys.stdout.write(describe_own_commands() + "\n")
        return
    ManagementUtility(with_underscored_command(argv)).execute()


def with_underscored_command(argv: list[str]) -> list[str]:
    """Let `mutualwatch import-register` run the `import_register` management command."""
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    if len(argv) > 2 and argv[1] == "help" and "-" in argv[2] and not argv[2].startswith("-"):
        return [argv[0], "help", argv[2].replace("-", "_"), *argv[3:]]
    return argv
