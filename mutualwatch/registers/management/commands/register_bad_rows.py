"""`mutualwatch register-bad-rows`: the register rows set aside, with file, line and why."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mutualwatch.registers import store


class Command(BaseCommand):
    help = "List the register rows set aside by ingest-companies, -psc and -societies."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="At most this many rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        with store.connect() as connection:
            rows = store.bad_rows(connection, options["limit"])
        if not rows:
            self.stdout.write("No register rows have been set aside.")
            return
        for row in rows:
            where = f"line {row['line']}" if row["line"] else "statement"
            self.stdout.write(f"{row['file']} {where}: {row['reason']}")
            if row["excerpt"]:
                self.stdout.write(f"    {row['excerpt'][:160]}")
