"""`mutualwatch ingest-ocds PATH...`: store, validate and compile OCDS data."""

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from mutualwatch.procurement.exceptions import ProcurementError
from mutualwatch.procurement.services import PARALLEL_FROM, IngestSummary, ingest_paths


class Command(BaseCommand):
    help = (
        "Ingest OCDS files (packages, records, releases, JSON Lines, .gz, .zip, directories).\n"
        "Every release is validated and kept once; invalid ones are quarantined (see "
        "ocds-errors). Safe to kill and run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or directories to ingest.")
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Releases stored per batch."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=len(os.sched_getaffinity(0)),
            help="Processes compiling at once (default: the cores this process may use).",
        )
        parser.add_argument(
            "--parallel-from",
            type=int,
            default=PARALLEL_FROM,
            help="Start worker processes only when at least this many ocids need compiling.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if options["parallel_from"] < 0:
            raise CommandError("--parallel-from cannot be negative.")

        console = Console(stderr=True)
        show = not options["no_progress"] and console.is_terminal
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            disable=not show,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(kind: str, count: int) -> None:
                if kind not in tasks:
                    label = "releases read" if kind == "read" else "ocids compiled"
                    tasks[kind] = bar.add_task(label, total=None, rate="")
                bar.advance(tasks[kind], count)
                task = bar.tasks[tasks[kind]]
                bar.update(tasks[kind], rate=f"{task.speed or 0:,.0f}/s")

            try:
                summary = ingest_paths(
                    options["paths"],
                    progress=progress,
                    batch_size=options["batch_size"],
                    workers=options["workers"],
                    parallel_from=options["parallel_from"],
                )
            except ProcurementError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(format_summary(summary))
        for note in summary.notes:
            self.stdout.write(note)
        if summary.rejections:
            raise CommandError(
                f"{summary.files_rejected} file(s) rejected (see `mutualwatch ocds-errors`):\n"
                + "\n".join(f"  {reason}" for reason in summary.rejections)
            )


def format_summary(summary: IngestSummary) -> str:
    rate = summary.releases_read / summary.seconds if summary.seconds else 0.0
    lines = [
        f"Files:              {summary.files:,} ({summary.files_rejected:,} rejected)",
        f"Releases read:      {summary.releases_read:,}",
        f"  new:              {summary.new:,}",
        f"  already present:  {summary.already_present:,}",
        f"  quarantined:      {summary.quarantined:,}",
        f"Linked releases skipped (records' references, nothing to ingest): "
        f"{summary.linked_releases_skipped:,}",
        f"Ocids compiled:     {summary.ocids_compiled:,}",
        f"Time:               {summary.seconds:,.1f} s ({rate:,.0f} releases/s; "
        f"{summary.storing_seconds:,.1f} s storing, with the ocids that came whole; "
        f"{summary.seconds - summary.storing_seconds:,.1f} s compiling the rest)",
    ]
    return "\n".join(lines)
