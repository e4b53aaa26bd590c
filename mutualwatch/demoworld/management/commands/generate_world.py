"""`mutualwatch generate-world`: write a fictional demo world with known ground truth."""

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mutualwatch.demoworld.exceptions import DemoWorldError
from mutualwatch.demoworld.parameters import SIZES, world_parameters
from mutualwatch.demoworld.world import generate_world


class RichProgress:
    """Shows each step of the pipeline as a bar on standard error."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: Any = None

    def start(self, step: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
        self.task = self.progress.add_task(step, total=total)

    def advance(self, units: int) -> None:
        self.progress.advance(self.task, units)


class Command(BaseCommand):
    help = (
        "Generate a fictional demo world with known ground truth, in the formats real sources "
        "publish (register, OCDS, Companies House, BODS, co-operatives, spend)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="demo",
            help="tiny (5 councils), demo (50) or national (400; long). Default demo.",
        )
        parser.add_argument(
            "--out",
            type=Path,
            required=True,
            help="Directory to write: new, empty, or a previous world (which is replaced).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed: int = options["seed"]
        if seed < 0:
            msg = f"--seed must be zero or positive, not {seed}."
            raise CommandError(msg)
        out: Path = options["out"]
        parameters = world_parameters(seed, options["size"])
        console = Console(stderr=True)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=console, transient=False) as progress:
                counts = generate_world(parameters, out, RichProgress(progress))
        except DemoWorldError as error:
            raise CommandError(str(error)) from error
        table = Table(title=f"{parameters.size.name} world, seed {seed}: {out}")
        table.add_column("written")
        table.add_column("count", justify="right")
        for name, count in counts.items():
            table.add_row(name.replace("_", " "), f"{count:,}")
        summary = Console(record=True, file=io.StringIO(), width=100)
        summary.print(table)
        self.stdout.write(summary.export_text())
