"""`mutualwatch workforce-aggregates --out FILE.csv`: publish the protected workforce tables."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.workforce.exceptions import WorkforceError
from mutualwatch.workforce.models import Publication
from mutualwatch.workforce.progress import steps_bar
from mutualwatch.workforce.publishing import publish, summary_line, write_csv
from mutualwatch.workforce.tasks import publish_tables


class Command(BaseCommand):
    help = (
        "Publish a new release of the workforce tables, protected against every release "
        "before it, and write its tables as CSV (respondents empty where a cell is withheld). "
        "With --publication N, write release N's CSV again without publishing. With "
        "--background, queue the publication and its audit for `mutualwatch db_worker`, whose "
        "log shows their progress."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", type=Path, help="The CSV file to write.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the publication for the task worker instead; write no CSV now.",
        )
        parser.add_argument(
            "--publication",
            type=int,
            metavar="N",
            help="Write the CSV of release N, already published; publish nothing.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            result = publish_tables.enqueue()
            self.stdout.write(
                f"Queued the workforce publication and its audit (task {result.id}): "
                "`mutualwatch db_worker` runs it, logging its progress; then `mutualwatch "
                "workforce-aggregates --publication N --out FILE.csv` writes its tables."
            )
            return
        out: Path | None = options["out"]
        if out is None:
            raise CommandError("Give --out FILE.csv, the file to write the tables to.")
        if out.is_dir():
            raise CommandError(
                f"{out} is a folder: give --out a file name, e.g. {out / 'tables.csv'}."
            )
        if not out.parent.is_dir():
            raise CommandError(
                f"The folder {out.parent} does not exist: create it, or write the CSV elsewhere."
            )
        number = options["publication"]
        if number is not None:
            publication = Publication.objects.filter(number=number).first()
            if publication is None:
                known = list(
                    Publication.objects.order_by("number").values_list("number", flat=True)
                )
                raise CommandError(
                    f"There is no workforce publication {number} (published: "
                    f"{', '.join(map(str, known)) or 'none yet'})."
                )
        else:
            with steps_bar("Protecting the tables", options["no_progress"]) as progress:
                try:
                    publication = publish(progress=progress)
                except WorkforceError as error:
                    raise CommandError(str(error)) from error
            self.stdout.write(summary_line(publication))
        rows = write_csv(publication, out)
        self.stdout.write(f"Publication {publication.number}: {rows:,} cells written to {out}.")
