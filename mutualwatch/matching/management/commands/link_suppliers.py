"""`mutualwatch link-suppliers`: every supplier and register provider to its registered body."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from mutualwatch.matching.linker import BACKENDS
from mutualwatch.matching.models import Decision
from mutualwatch.matching.services import link_suppliers


class Command(BaseCommand):
    help = (
        "Link every supplier named in the stored releases, and every register provider, to "
        "the company or society it is: by the identifier a notice gives, else by name, "
        "postcode and town with a probabilistic model (splink). Researchers' judgements are "
        "never undone. Run ingest-companies, ingest-societies and ingest-psc first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--backend",
            choices=BACKENDS,
            default="duckdb",
            help="Where the probabilistic model runs: duckdb (one machine, the default) or "
            "spark (a cluster; needs PySpark and Java, see docs/registers.md).",
        )
        parser.add_argument(
            "--spark-master",
            default="local[*]",
            help="With --backend spark: the cluster's master URL (default local[*]: every "
            "core of this machine).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress display.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,.0f}"),
            TimeElapsedColumn(),
            console=console,
            disable=options["no_progress"] or not console.is_terminal,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(step: str, count: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=None)
                bar.advance(tasks[step], count)

            try:
                summary = link_suppliers(
                    backend=options["backend"],
                    progress=progress,
                    spark_master=options["spark_master"],
                )
            except ModuleNotFoundError as error:
                raise CommandError(
                    f"--backend {options['backend']} needs {error.name}: run scripts/setup "
                    "--spark (PySpark and a Java runtime)"
                ) from error
        labels = dict(Decision.choices)
        lines = [
            f"Supplier parties:  {summary.mentions:,}",
            f"Distinct suppliers: {summary.suppliers:,}; register providers: {summary.providers:,}",
        ]
        for decision, count in summary.decisions.items():
            lines.append(f"  {labels.get(decision, decision)}: {count:,}")
        lines.append(f"Register events suggested for review: {summary.suggestions:,} new")
        lines.append(
            f"Possible spin-outs or outsourcings not in the register: {summary.candidates:,}"
        )
        lines.append(f"Time: {summary.seconds:,.1f} s")
        self.stdout.write("\n".join(lines))
