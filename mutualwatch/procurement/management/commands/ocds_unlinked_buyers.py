"""`mutualwatch ocds-unlinked-buyers`: buyers not linked to a register authority."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.procurement.queries import unlinked_buyers
from mutualwatch.spreadsheets import SafeWriter


class Command(BaseCommand):
    help = "List procurement buyers not linked to a register authority, most processes first."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--csv", type=Path, help="Also write them to this CSV file.")

    def handle(self, *args: Any, **options: Any) -> None:
        buyers = unlinked_buyers()
        self.stdout.write(f"Unlinked buyers: {len(buyers)}")
        for buyer in buyers:
            identifier = f" [{buyer.identifier}]" if buyer.identifier else ""
            self.stdout.write(f"  {buyer.processes:>6}  {buyer.name}{identifier}")
        if options["csv"]:
            try:
                with options["csv"].open("w", newline="", encoding="utf-8") as handle:
                    writer = SafeWriter(handle)
                    writer.writerow(["buyer_name", "buyer_identifier", "processes"])
                    for buyer in buyers:
                        writer.writerow([buyer.name, buyer.identifier, buyer.processes])
            except OSError as error:
                raise CommandError(f"{options['csv']}: cannot write ({error.strerror}).") from error
