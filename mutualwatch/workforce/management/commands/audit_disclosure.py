"""`mutualwatch audit-disclosure`: audit every workforce publication together."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.workforce.progress import steps_bar
from mutualwatch.workforce.publishing import audit_report, run_audit


class Command(BaseCommand):
    help = (
        "Check that no withheld cell of any workforce publication can be narrowed, from "
        "everything published, to less than its protection range. Prints each publication's "
        "result and every failure; exits with status 1 on any failure."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        with steps_bar("Auditing the publications", options["no_progress"]) as progress:
            findings = run_audit(progress=progress)
        report, failed = audit_report(findings)
        for line in report:
            self.stdout.write(line)
        if failed:
            raise CommandError(f"The disclosure audit FAILED for {failed:,} withheld cells.")
