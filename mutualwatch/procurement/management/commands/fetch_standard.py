"""`mutualwatch fetch-standard`: download and cache the OCDS standard for ingest."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mutualwatch.procurement.exceptions import ProcurementError
from mutualwatch.procurement.fetch import fetch_standard


class Command(BaseCommand):
    help = (
        "Download the OCDS schemas and codelists into MUTUALWATCH_OCDS_STANDARD, once per "
        "deployment (ingest never fetches them)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--ocds-version",
            dest="ocds_version",
            default="1__1__5",
            help="OCDS version tag (default 1__1__5).",
        )
        parser.add_argument("--to", type=Path, help="Directory (default: the configured one).")
        parser.add_argument(
            "--base-url", help="Where to fetch from (default: the standard's site)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["to"] or Path(settings.OCDS_STANDARD_DIR)
        try:
            count = fetch_standard(target, options["ocds_version"], options["base_url"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ProcurementError as error:
            raise CommandError(f"{error} Nothing was changed in {target}.") from error
        self.stdout.write(f"Fetched {count} files of OCDS {options['ocds_version']} into {target}.")
