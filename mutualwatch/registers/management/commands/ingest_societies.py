"""`mutualwatch ingest-societies FILE...`: co-operative and mutual society registers."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.registers.reporting import as_of_date, clean_errors
from mutualwatch.registers.societies import ingest_societies

LAYOUT_LABELS = {"co-operatives-uk": "Co-operatives UK organisations", "fca": "FCA society list"}


class Command(BaseCommand):
    help = (
        "Ingest society registers: the Co-operatives UK open-data organisations file or the "
        "FCA Mutuals Public Register's society list (SocietyList.csv), as CSV or zip. The "
        "same file again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", help="Society files, oldest first.")
        parser.add_argument(
            "--as-of",
            help="The day the file shows (YYYY-MM-DD); default: the date in its name.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_date(options["as_of"])
        for name in options["files"]:
            with clean_errors():
                summary = ingest_societies(Path(name), as_of)
            if summary.already_present:
                self.stdout.write(f"{summary.file}: already ingested; nothing changed.")
                continue
            changes = ", ".join(f"{v:,} {k} changes" for k, v in summary.changes.items())
            self.stdout.write(
                f"{summary.file} ({LAYOUT_LABELS[summary.layout]}, {summary.snapshot_on}): "
                f"{summary.rows_read:,} rows, {summary.rows_kept:,} kept, "
                f"{summary.rows_bad:,} set aside" + (f"; {changes}" if changes else "")
            )
