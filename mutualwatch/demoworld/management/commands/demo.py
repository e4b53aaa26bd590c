"""`mutualwatch demo`: the fictional demo world, loaded and served on this machine."""

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutualwatch.analysis.queries import latest_fates
from mutualwatch.analysis.services import refresh_fates
from mutualwatch.demoworld.companies import COMPANIES_HOUSE_FILE
from mutualwatch.demoworld.cooperatives import COOPERATIVES_FILE
from mutualwatch.demoworld.ownership import BODS_FOLDER
from mutualwatch.demoworld.parameters import CENSUS_DATE, SIZES
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.importing import import_register

COMPLETE_MARKER = ".complete"


class Command(BaseCommand):
    help = (
        "Generate the fictional demo world (once; it is cached), load it into its own SQLite "
        "database and serve the site on 127.0.0.1, every page marked as demo data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="World seed (default 1).")
        parser.add_argument("--size", choices=list(SIZES), default="demo", help="Default demo.")
        parser.add_argument("--port", type=int, default=8000, help="Default 8000.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the world, then stop without serving."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            self._restart_in_demo_mode()
        world = self._world(options["seed"], options["size"])
        call_command("migrate", verbosity=0)
        self._load(world)
        if options["no_serve"]:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Serving the demo on http://127.0.0.1:{options['port']}/")
        )
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)

    def _restart_in_demo_mode(self) -> None:
        """Demo data lives in its own data folder, apart from any real register."""
        environment = os.environ | {
            "MUTUALWATCH_DEMO": "1",
            "MUTUALWATCH_DATA_DIR": str(Path(settings.DATA_DIR) / "demo"),
        }
        environment.pop("DATABASE_URL", None)
        sys.stdout.flush()
        # Replace this process: the demo settings are read once, at start-up.
        os.execve(sys.executable, [sys.executable, "-m", "mutualwatch", *sys.argv[1:]], environment)  # noqa: S606

    def _world(self, seed: int, size: str) -> Path:
        world = Path(settings.DATA_DIR) / f"world-{size}-seed{seed}"
        if (world / COMPLETE_MARKER).exists():
            self.stdout.write(f"Using the demo world already generated in {world}")
            return world
        partial = world.with_name(world.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        call_command("generate_world", seed=seed, size=size, out=partial)
        (partial / COMPLETE_MARKER).touch()
        shutil.rmtree(world, ignore_errors=True)
        partial.rename(world)
        return world

    def _load(self, world: Path) -> None:
        try:
            summary = import_register(world / "register.json")
        except RegisterFileError as error:
            raise CommandError(f"The demo world's register did not load: {error}") from None
        self.stdout.write(f"Register: {summary.changed} records loaded or updated.")
        if summary.changed or latest_fates() is None:
            # No task worker runs beside the demo server, so analyse the fates here.
            refresh_fates()
            self.stdout.write("Fates of spun-out and outsourced services analysed.")
        if "ingest_ocds" in get_commands() and (world / "ocds").is_dir():
            standard = Path(settings.OCDS_STANDARD_DIR)
            if (standard / "release-schema.json").is_file():
                call_command("ingest_ocds", str(world / "ocds"))
                call_command("rebuild_search_index")
                self._registers(world)
            else:
                self.stderr.write(
                    f"Procurement data not loaded: the OCDS standard is not in {standard}. "
                    "Run `mutualwatch fetch-standard` or set MUTUALWATCH_OCDS_STANDARD."
                )

    def _registers(self, world: Path) -> None:
        """The world's company, society and control registers, and every supplier linked to
        them (each file is ingested once; linking again changes nothing decided)."""
        census = str(CENSUS_DATE)
        call_command(
            "ingest_companies", str(world / COMPANIES_HOUSE_FILE), as_of=census, no_progress=True
        )
        call_command("ingest_societies", str(world / COOPERATIVES_FILE), as_of=census)
        call_command("ingest_psc", str(world / BODS_FOLDER), as_of=census)
        call_command("link_suppliers", no_progress=True)
