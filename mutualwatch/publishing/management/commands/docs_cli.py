from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.cli import CLI_REFERENCE, cli_reference


class Command(BaseCommand):
    help = (
        "Write docs/cli.md, the command line reference, from the commands themselves "
        "(--check: only say whether it is up to date)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; exit non-zero if docs/cli.md differs from the commands",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = cli_reference()
        current = CLI_REFERENCE.read_text(encoding="utf-8") if CLI_REFERENCE.exists() else ""
        if options["check"]:
            if current != reference:
                raise CommandError(
                    f"{CLI_REFERENCE} is out of date: run `uv run mutualwatch docs-cli`."
                )
            self.stdout.write(f"{CLI_REFERENCE} is up to date.")
            return
        CLI_REFERENCE.write_text(reference, encoding="utf-8")
        self.stdout.write(f"Wrote {CLI_REFERENCE}.")
