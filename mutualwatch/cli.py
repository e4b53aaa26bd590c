"""The `mutualwatch` command: every operation, as a Django management command.

`mutualwatch` with no arguments (or `--help`) lists mutualwatch's own commands first, with a
line on what each does; `mutualwatch help COMMAND` gives a command's options.
"""

import os
import sys

from django.core.management import ManagementUtility, get_commands, load_command_class

OWN_APP_PREFIX = "mutualwatch."

INTRODUCTION = """\
mutualwatch: the evidence on what happens when councils hand public services to mutuals,
co-operatives, trading companies or private contractors.

Usage: mutualwatch COMMAND [options]      (mutualwatch help COMMAND for its options)

mutualwatch's commands:
"""


def describe_own_commands() -> str:
    lines = [INTRODUCTION]
    for name, app in sorted(get_commands().items()):
        if not app.startswith(OWN_APP_PREFIX):
            continue
        summary = (load_command_class(app, name).help or "").strip().splitlines()
        lines.append(f"  {name.replace('_', '-'):<22} {summary[0] if summary else ''}")
    lines.append(
        "\nDjango's own commands (migrate, runserver, createsuperuser, db_worker, ...) work too:"
        "\n  mutualwatch help --commands lists them all."
    )
    return "\n".join(lines)


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
