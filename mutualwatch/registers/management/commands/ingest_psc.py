"""`mutualwatch ingest-psc FILE...`: who controls each company."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.registers.exceptions import WrongFileError
from mutualwatch.registers.ownership import OwnershipSummary, ingest_ownership
from mutualwatch.registers.reporting import as_of_date, clean_errors, steps_bar

LAYOUT_LABELS = {"bods": "BODS 0.2", "ch-psc": "Companies House PSC snapshot"}


class Command(BaseCommand):
    help = (
        "Ingest persons with significant control: BODS 0.2 JSON files (a folder of them is "
        "fine) or Companies House PSC snapshot JSON Lines. Corporate controllers are kept "
        "with their names; individuals only as the fact of one. The same file again changes "
        "nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders of .json/.jsonl files.")
        parser.add_argument("--as-of", help="The day the statements were retrieved.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_date(options["as_of"])
        files: list[Path] = []
        for name in options["paths"]:
            path = Path(name)
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl"))
            else:
                files.append(path)
        totals = {"files": 0, "already": 0, "controls": 0, "bad": 0}
        with steps_bar(not options["no_progress"]) as progress:
            for done, path in enumerate(files, start=1):
                with clean_errors():
                    if not path.is_file():
                        raise WrongFileError(f"{path}: no such file")
                    summary = ingest_ownership(path, as_of)
                progress(f"{len(files):,} files", 100 * done / len(files))
                self.count(totals, summary)
        self.stdout.write(
            f"Files: {totals['files']:,} ({totals['already']:,} already ingested); "
            f"controls stored: {totals['controls']:,}; statements set aside: {totals['bad']:,}"
        )

    @staticmethod
    def count(totals: dict[str, int], summary: OwnershipSummary) -> None:
        totals["files"] += 1
        totals["already"] += summary.already_present
        totals["controls"] += summary.controls
        totals["bad"] += summary.rows_bad
