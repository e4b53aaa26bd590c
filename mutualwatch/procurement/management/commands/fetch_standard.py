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
        "Download the OCDS schemas and codelists into MUTUALWATCH_OCDS_STANDARD (unset: into "
        "ocds-standard/VERSION in the data folder, to set it to), once per deployment. Ingest "
        "never fetches them, and without one uses the OCDS 1.1.5 that mutualwatch ships."
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
        target = options["to"] or configured_target(options["ocds_version"])
        try:
            count = fetch_standard(target, options["ocds_version"], options["base_url"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ProcurementError as error:
            raise CommandError(f"{error} Nothing was changed in {target}.") from error
        self.stdout.write(f"Fetched {count} files of OCDS {options['ocds_version']} into {target}.")
        if target.resolve() != Path(settings.OCDS_STANDARD_DIR).resolve():
            self.stdout.write(f"Ingest reads it once MUTUALWATCH_OCDS_STANDARD={target} is set.")


def configured_target(version: str) -> Path:
    """The configured standard's directory, but never the copy inside the package."""
    configured = Path(settings.OCDS_STANDARD_DIR)
    if configured.resolve() == Path(settings.SHIPPED_OCDS_STANDARD_DIR).resolve():
        return Path(settings.DATA_DIR) / "ocds-standard" / version
    return configured
