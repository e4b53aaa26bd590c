"""`mutualwatch ocds-quality`: data quality per source, printed and exported as CSV."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.procurement.exceptions import ProcurementError
from mutualwatch.procurement.quality import (
    quality_by_source,
    write_codelist_csv,
    write_quality_csv,
)


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


class Command(BaseCommand):
    help = (
        "Data quality per publisher: suppliers without identifiers, missing values and dates, "
        "codelist values outside the standard, processes split across ocids."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--csv", type=Path, help="Write the per-source table to this CSV.")
        parser.add_argument(
            "--codelists-csv", type=Path, help="Write each out-of-codelist value to this CSV."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows, problems = quality_by_source()
        except ProcurementError as error:
            raise CommandError(str(error)) from error
        for row in rows:
            shares = row.shares
            self.stdout.write(f"{row.publisher or '(publisher not stated)'}")
            self.stdout.write(
                f"  releases {row.releases:,}, quarantined {row.quarantined:,}, "
                f"processes {row.processes:,}"
            )
            self.stdout.write(
                f"  suppliers without identifier: {row.suppliers_without_identifier:,} of "
                f"{row.suppliers:,} ({percent(shares['share_suppliers_without_identifier'])})"
            )
            self.stdout.write(
                f"  awards without value: {percent(shares['share_awards_without_value'])}, "
                f"without date: {percent(shares['share_awards_without_date'])}; "
                f"contracts without value: {percent(shares['share_contracts_without_value'])}, "
                f"without dates: {percent(shares['share_contracts_without_dates'])}; "
                f"tenders without value: {percent(shares['share_tenders_without_value'])}"
            )
            self.stdout.write(
                f"  codelist values outside the standard: {row.codelist_values_outside_standard:,}"
                f"; ocids that look like one process split: {row.ocids_in_split_processes:,}"
            )
        for problem in problems:
            self.stdout.write(
                f"  [{problem.publisher}] {problem.field} = {problem.value!r} not in "
                f"{problem.codelist} ({problem.count}x)"
            )
        try:
            if options["csv"]:
                write_quality_csv(rows, options["csv"])
            if options["codelists_csv"]:
                write_codelist_csv(problems, options["codelists_csv"])
        except OSError as error:
            raise CommandError(f"{error.filename}: cannot write ({error.strerror}).") from error
