import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutualwatch.analysis.outputs import write_fates
from mutualwatch.analysis.services import analyse_register


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--cut-off {value!r} is not a date: give it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Survival and competing-risks analysis of spun-out and outsourced services: writes the "
        "figures, the spells behind them (CSV), the headline estimates (JSON) and SVG charts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="Folder to write into.")
        parser.add_argument(
            "--cut-off",
            help="Censor spells at this date (YYYY-MM-DD); by default the register's own "
            "cut-off, the last day its published evidence was looked at.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is a file: give a folder (it is created if need be).")
        cut_off = parse_day(options["cut_off"]) if options["cut_off"] else None
        run = analyse_register(cut_off)
        written = write_fates(run, out)
        self.stdout.write(
            f"{len(run.spells)} spells to {run.cut_off.isoformat()}: wrote {len(written)} files "
            f"to {out}"
        )
        for figure in run.document["headline"]:
            if figure["status"] != "estimate":
                self.stdout.write(f"  {figure['label']}: no estimate, {figure['reason']}")
                continue
            bounds = " to ".join(
                "not yet known" if bound is None else f"{bound:.3f}"
                for bound in (figure["lower"], figure["upper"])
            )
            self.stdout.write(
                f"  {figure['label']}: {figure['value']:.3f} (95% interval {bounds}), "
                f"{figure['spells']} spells"
            )
