from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.councils import services
from mutualwatch.councils.exceptions import AuthorityFileError


class Command(BaseCommand):
    help = (
        "Create or update local authorities from the UK local-authority register CSV or an "
        "ONS code list (e.g. LAD23CD,LAD23NM), with abolitions and successors."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="uk_local_authorities.csv or an ONS list")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = services.import_authorities(options["file"])
        except AuthorityFileError as error:
            raise CommandError(f"{error} (nothing was imported)") from error
        self.stdout.write(f"Authorities: {summary}.")
