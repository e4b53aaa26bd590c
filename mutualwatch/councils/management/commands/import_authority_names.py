from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.councils import services
from mutualwatch.councils.exceptions import AuthorityFileError


class Command(BaseCommand):
    help = (
        "Load known spellings of council names (la-name,local-authority-code) so buyers in "
        "procurement data resolve to authorities."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="lookup_name_to_registry.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = services.import_authority_names(options["file"])
        except AuthorityFileError as error:
            raise CommandError(f"{error} (nothing was imported)") from error
        self.stdout.write(
            f"Spellings: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged."
        )
