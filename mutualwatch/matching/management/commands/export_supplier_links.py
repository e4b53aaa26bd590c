"""`mutualwatch export-supplier-links FILE.csv`: one row per supplier party of each release."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.matching.services import EXPORT_COLUMNS, export_supplier_links


class Command(BaseCommand):
    help = (
        "Write the supplier links as CSV, one row per supplier party of each release, with "
        f"the columns {','.join(EXPORT_COLUMNS)}. Run link-suppliers first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The CSV file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = export_supplier_links(Path(options["file"]))
        self.stdout.write(f"{rows:,} supplier parties written to {options['file']}")
