from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.councils import queries


class Command(BaseCommand):
    help = "List buyer names that resolved to no council, with the closest candidates."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="show at most this many")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = queries.unresolved_buyers(options["limit"])
        if not rows:
            self.stdout.write("No unresolved buyers.")
            return
        for row in rows:
            self.stdout.write(f"{row.buyer.name}  (seen {row.buyer.times_seen} times)")
            if not row.candidates:
                self.stdout.write("    no close candidates")
            for authority in row.candidates:
                self.stdout.write(
                    f"    {authority.gss_code:<9}  {authority.name}"
                    + (f" (abolished {authority.end_date})" if authority.end_date else "")
                )
