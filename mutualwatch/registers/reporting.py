"""What the register commands print: a progress bar while they work, a summary after."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from mutualwatch.registers.exceptions import RegisterError


@contextmanager
def steps_bar(show: bool) -> Iterator[Callable[[str, float], None]]:
    """A bar per step, each filled to the share (0-100) the step reports."""
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        disable=not (show and console.is_terminal),
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(step: str, share: float) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=100)
            bar.update(tasks[step], completed=share)

        yield report


def as_of_date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of {value!r} is not a date (YYYY-MM-DD)") from error


@contextmanager
def clean_errors() -> Iterator[None]:
    """Register errors end the command with their message, never a traceback."""
    try:
        yield
    except RegisterError as error:
        raise CommandError(str(error)) from error
