"""`mutualwatch ocds-errors`: quarantined releases and rejected files, with every reason."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mutualwatch.procurement.queries import quarantined_releases, rejected_files


class Command(BaseCommand):
    help = "List quarantined (invalid) releases with each error, and files rejected as malformed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--file", default="", help="Only files whose path contains this.")
        parser.add_argument("--ocid", default="", help="Only releases with this ocid.")
        parser.add_argument("--limit", type=int, default=100, help="At most this many releases.")
        parser.add_argument("--raw", action="store_true", help="Print each release's JSON too.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 0:
            raise CommandError("--limit cannot be negative.")
        files = list(rejected_files(options["file"]))
        if files and not options["ocid"]:
            self.stdout.write(f"Rejected files: {len(files)}")
            for rejected in files:
                kept = " (lines before it were kept)" if rejected.kept_before_error else ""
                self.stdout.write(f"  {rejected.reason}{kept}")
        releases = quarantined_releases(options["file"], options["ocid"])
        total = releases.count()
        self.stdout.write(f"Quarantined releases: {total}")
        for release in releases[: options["limit"]]:
            label = f"ocid {release.ocid or '(none)'} id {release.release_id or '(none)'}"
            self.stdout.write(f"{release.source_file} {release.source_position} ({label})")
            for error in release.errors:
                self.stdout.write(f"  {error['path']}: {error['message']}")
            if options["raw"]:
                self.stdout.write(f"  raw: {release.canonical_json}")
        if total > options["limit"]:
            self.stdout.write(f"... and {total - options['limit']} more (use --limit).")
