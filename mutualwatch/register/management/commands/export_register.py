from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.exchange import write_records
from mutualwatch.register.exporting import export_records


class Command(BaseCommand):
    help = (
        "Write the whole register to a JSON or CSV file (docs/register-format.md).\n"
        "Who submitted each record is never exported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write: a .json or .csv file.")
        parser.add_argument(
            "--published-only",
            action="store_true",
            help="Only what is public: published records, and no branches.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.parent.is_dir():
            raise CommandError(f"{path}: the folder {path.parent} does not exist.")
        try:
            count = write_records(path, export_records(options["published_only"]))
        except RegisterFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} records to {path}."))
