from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mutualwatch.register.network_file import NetworkFileInvalid
from mutualwatch.register.services import import_network_file


class Command(BaseCommand):
    help = (
        "Record the Co-operative Councils Network's memberships from a CSV file "
        "(docs/network-membership.md): all of it, or nothing. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A network membership .csv file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_network_file(options["file"], timezone.localdate())
        except NetworkFileInvalid as invalid:
            count = len(invalid.errors)
            raise CommandError(
                f"Nothing was imported: {count} error{'s' if count != 1 else ''}.\n{invalid}"
            ) from None
        self.stdout.write(
            f"Memberships: {summary.added} added, {summary.unchanged} unchanged, "
            f"{summary.updated} updated; {summary.sources_added} sources added."
        )
