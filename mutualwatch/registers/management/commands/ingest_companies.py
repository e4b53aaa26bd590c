"""`mutualwatch ingest-companies FILE...`: a Companies House BasicCompanyData snapshot."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.registers.companies import ingest_companies
from mutualwatch.registers.reporting import as_of_date, clean_errors, steps_bar


class Command(BaseCommand):
    help = (
        "Ingest a Companies House BasicCompanyData snapshot: the CSV as published, or every "
        "part of the official multi-part zip, given together. Compared with the snapshot "
        "before it, it finds status changes, name changes, companies gone from the live "
        "register and new incorporations. The same snapshot again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", help="The snapshot's CSV or zip file(s).")
        parser.add_argument(
            "--as-of",
            help="The day the snapshot shows (YYYY-MM-DD); default: the date in the file name.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(name) for name in options["files"]]
        with clean_errors(), steps_bar(not options["no_progress"]) as progress:
            summary = ingest_companies(paths, as_of_date(options["as_of"]), progress)
        if summary.already_present:
            self.stdout.write(
                f"Snapshot of {summary.snapshot_on} ({', '.join(summary.files)}): already "
                "ingested; nothing changed."
            )
            return
        rate = summary.rows_read / summary.seconds if summary.seconds else 0.0
        lines = [
            f"Snapshot:      {summary.snapshot_on} ({', '.join(summary.files)})",
            f"Rows read:     {summary.rows_read:,}",
            f"  kept:        {summary.rows_kept:,}",
            f"  set aside:   {summary.rows_bad:,} (see `mutualwatch register-bad-rows`)",
        ]
        labels = {
            "status": "status changes",
            "name": "name changes",
            "removed": "gone from the live register",
            "incorporated": "new companies",
        }
        if summary.changes:
            lines.append("Since the last snapshot:")
            lines += [f"  {labels[k]}: {v:,}" for k, v in summary.changes.items()]
        else:
            lines.append("The first snapshot: changes are found from the next one on.")
        lines.append(f"Time:          {summary.seconds:,.1f} s ({rate:,.0f} rows/s)")
        self.stdout.write("\n".join(lines))
