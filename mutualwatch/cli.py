"""The `mutualwatch` command: every operation, as a Django management command.

`mutualwatch` with no arguments (or `--help`) lists mutualwatch's own commands first, with a
line on what each does; `mutualwatch help COMMAND` gives a command's options, and docs/cli.md
(written by `mutualwatch docs-cli`) gives every command's.

`mutualwatch --demo COMMAND` runs any command against the demo's own database (`mutualwatch
demo` always does): the switch is read here, before the settings, which read the environment
once.
"""

import os
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import closing, suppress
from pathlib import Path

from django.core.management import (
    BaseCommand,
    ManagementUtility,
    get_commands,
    load_command_class,
)
from django.core.management.base import DjangoHelpFormatter
from django.db import DatabaseError

from mutualwatch.environment import data_dir, env_flag

OWN_APP_PREFIX = "mutualwatch."

INTRODUCTION = """\
mutualwatch: the evidence on what happens when councils hand public services to mutuals,
co-operatives, trading companies or private contractors.

Usage: mutualwatch COMMAND [options]      (mutualwatch help COMMAND for its options)
       mutualwatch --demo COMMAND [options]  (the same, against the demo's database)

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

`mutualwatch --demo COMMAND` runs any command against the demo's database, the one
`mutualwatch demo` loads and serves: `uv run mutualwatch --demo createsuperuser`.

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


DEMO_SWITCH = "--demo"
DEMO_COMMAND = "demo"


def demo_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment that points every setting at the demo: its own data folder (and so its
    own SQLite database) inside the usual one, apart from any real register, and the banner
    that marks every page as fictional. Already in demo mode, nothing changes."""
    environment = dict(environ)
    if env_flag("MUTUALWATCH_DEMO", False, environment):
        return environment
    environment["MUTUALWATCH_DEMO"] = "1"
    environment["MUTUALWATCH_DATA_DIR"] = str(
        data_dir(environment.get("MUTUALWATCH_DATA_DIR")) / "demo"
    )
    environment.pop("DATABASE_URL", None)
    return environment


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualwatch.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "mutualwatch"
    if argv[1:2] == [DEMO_SWITCH]:
        del argv[1]
        os.environ.update(demo_environment(os.environ))
    elif argv[1:2] == [DEMO_COMMAND]:
        os.environ.update(demo_environment(os.environ))
    if len(argv) == 1 or argv[1:] in (["--help"], ["-h"], ["help"]):
        import django

        django.setup()
        sys.stdout.write(describe_own_commands() + "\n")
        return
    utility = ManagementUtility(with_underscored_command(argv))
    database = embedded_database()
    if database is None or database.exists():
        utility.execute()
        return
    try:
        utility.execute()
    except DatabaseError as error:
        # Commands but `migrate` fail on a database that does not exist yet ("no such table").
        sys.exit(f"{error}\n{no_database_yet(database, argv)}")
    finally:
        remove_if_empty(database)


def embedded_database() -> Path | None:
    """The SQLite file the settings point at, if they point at one (not PostgreSQL)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(database["NAME"])


def no_database_yet(database: Path, argv: list[str]) -> str:
    """What to do when a command needed a database there is not: make it, or use the demo's."""
    command = " ".join(argv[1:2])
    return (
        f"There is no database at {database} yet: `mutualwatch migrate` makes one. For the "
        f"demo's database (the one `mutualwatch demo` serves) run `mutualwatch --demo {command}`."
    )


def remove_if_empty(database: Path) -> None:
    """Opening a SQLite database that is not there creates an empty file, and every command's
    system checks open it: remove what was created empty, so that a command run by mistake
    outside the demo leaves nothing behind (`migrate` fills it, and it stays)."""
    from django.db import connections

    connections.close_all()
    if not database.exists():
        return
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as connection:
        tables = connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    if tables:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            database.with_name(database.name + suffix).unlink()


def with_underscored_command(argv: list[str]) -> list[str]:
    """Let `mutualwatch import-register` run the `import_register` management command."""
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    if len(argv) > 2 and argv[1] == "help" and "-" in argv[2] and not argv[2].startswith("-"):
        return [argv[0], "help", argv[2].replace("-", "_"), *argv[3:]]
    return argv
