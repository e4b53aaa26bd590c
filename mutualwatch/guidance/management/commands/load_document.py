import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutualwatch.guidance.exceptions import GuidanceError
from mutualwatch.guidance.models import DocumentKind
from mutualwatch.guidance.services import load_document
from mutualwatch.register.models import SourceKind


class Command(BaseCommand):
    help = (
        "Load a plain-text document into the guidance library: a new document (a draft), or a "
        "new version of the document of that title. The same text twice adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A UTF-8 plain-text file.")
        parser.add_argument("--title", required=True, help="The document's title.")
        parser.add_argument("--kind", required=True, choices=DocumentKind.values)
        parser.add_argument(
            "--dated", required=True, type=datetime.date.fromisoformat, help="YYYY-MM-DD."
        )
        parser.add_argument("--source-url", required=True, help="Where the text was published.")
        parser.add_argument("--source-title", default="", help="Default: the document's title.")
        parser.add_argument("--source-kind", default=SourceKind.WEB_PAGE, choices=SourceKind.values)
        parser.add_argument("--author", default="", help="Who wrote or adopted it.")
        parser.add_argument(
            "--topic", action="append", default=[], help="A topic's name (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_document(
                options["file"],
                title=options["title"],
                kind=options["kind"],
                dated=options["dated"],
                source_url=options["source_url"],
                source_title=options["source_title"],
                source_kind=options["source_kind"],
                author=options["author"],
                topics=options["topic"],
            )
        except GuidanceError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        if loaded.version is None:
            self.stdout.write(f"“{loaded.document}”: the text is its latest version already.")
        else:
            added = "new document" if loaded.created else "new version"
            self.stdout.write(
                self.style.SUCCESS(
                    f"“{loaded.document}”: {added}, version {loaded.version.number}."
                )
            )
