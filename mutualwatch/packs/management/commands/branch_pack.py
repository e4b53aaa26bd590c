from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mutualwatch.packs.services import pack_pdf
from mutualwatch.register.models import Authority


class Command(BaseCommand):
    help = (
        "Print a council's branch pack as an A4 PDF: each service's story with its timeline, "
        "what became of its spin-outs against the national estimates, the contracts external "
        "providers hold and when they end, and every source cited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gss_code", metavar="GSS_CODE", help="The council, e.g. E07000223.")
        parser.add_argument("--out", required=True, type=Path, help="The PDF file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["gss_code"]
        out: Path = options["out"]
        authority = Authority.objects.filter(gss_code=code).first()
        if authority is None:
            raise CommandError(
                f"No council has the GSS code {code!r}: `mutualwatch import-authorities` "
                "loads them, and the councils page lists their codes."
            )
        if out.is_dir():
            raise CommandError(f"--out {out} is a folder: give the PDF file's name.")
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist.")
        started = timezone.now()
        pdf = pack_pdf(authority, timezone.localdate(), settings.SITE_URL)
        out.write_bytes(pdf)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Wrote the branch pack on {authority.name} to {out} ({len(pdf):,} bytes, "
            f"{seconds:.1f} s)."
        )
