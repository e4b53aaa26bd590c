from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.importing import import_register


class Command(BaseCommand):
    help = (
        "Load a register file (JSON or CSV, docs/register-format.md): all of it, or nothing.\n"
        "Records already present are matched and left alone unless they differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A .json or .csv register file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_register(options["file"])
        except RegisterFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for record_type, count in summary.read.items():
            self.stdout.write(
                f"{record_type}: {count} read, {summary.created[record_type]} new, "
                f"{summary.updated[record_type]} updated"
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {summary.changed} records changed."))
