"""Writes of the fates analysis: compute it over the published register, store it, and ask
for it to be recomputed when the register changes.

``register_data_changed`` is the hook: the register's services (and the signal receivers in
``signals.py``) call it after a write; it enqueues ``tasks.recompute_fates`` once, when the
transaction commits, however many records the transaction touched.
"""

import datetime
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from mutualwatch.analysis import charts, fates
from mutualwatch.analysis.loading import load_register_history
from mutualwatch.analysis.models import FatesResult
from mutualwatch.analysis.spells import SPELL_COLUMNS, Spell, build_spells
from mutualwatch.spreadsheets import SafeDictWriter

#: How many stored results are kept: the latest and those before it.
RESULTS_KEPT = 10


@dataclass
class FatesRun:
    """One computation of the fates: the spells, the analysis and its charts."""

    cut_off: datetime.date
    spells: list[Spell]
    document: dict[str, Any]
    charts: dict[str, dict[str, Any]]

    @property
    def spells_csv(self) -> str:
        return spells_csv(self.spells)

    @property
    def input_digest(self) -> str:
        return hashlib.sha256(f"{self.cut_off}\n{self.spells_csv}".encode()).hexdigest()


def spells_csv(spells: Sequence[Spell]) -> str:
    """The spells behind every figure, one row each, in a stable order."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=SPELL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for spell in sorted(spells, key=lambda s: (s.start, s.arrangement)):
        writer.writerow(spell.as_row())
    return buffer.getvalue()


def analyse_spells(spells: list[Spell], cut_off: datetime.date) -> FatesRun:
    document = fates.analyse(spells, cut_off)
    return FatesRun(cut_off, spells, document, charts.build_charts(document))


def analyse_register(cut_off: datetime.date | None = None) -> FatesRun:
    """The fates of every published spin-out and outsourcing, to ``cut_off`` (by default the
    register's own cut-off)."""
    history = load_register_history(cut_off)
    return analyse_spells(build_spells(history), history.cut_off)


def refresh_fates(cut_off: datetime.date | None = None) -> FatesResult:
    """Compute the fates and store them for the pages; unchanged data are not stored twice."""
    run = analyse_register(cut_off)
    digest = run.input_digest
    latest = FatesResult.objects.order_by("-computed_at", "-pk").first()
    if latest is not None and latest.input_digest == digest:
        return latest
    result = FatesResult.objects.create(
        cut_off=run.cut_off,
        input_digest=digest,
        spell_count=len(run.spells),
        document=run.document,
        charts={
            name: {"spec": spec, "svg": charts.to_svg(spec)} for name, spec in run.charts.items()
        },
        spells_csv=run.spells_csv,
    )
    # Earlier results are kept for a while, to compare; not for ever (each is about a megabyte).
    kept = FatesResult.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)
    FatesResult.objects.exclude(pk__in=list(kept[:RESULTS_KEPT])).delete()
    return result


class RecomputeWhenCommitted:
    """The on-commit callback that enqueues the recomputation; it knows whether it has run, so
    that a transaction registers one and a later one (once this has run) registers another."""

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        from mutualwatch.analysis.tasks import recompute_fates

        self.ran = True
        recompute_fates.enqueue()


def register_data_changed(using: str | None = None) -> None:
    """Ask for the fates to be recomputed once the current transaction commits.

    Called by the register's services and by the signal receivers on every write to a model
    the analysis reads (``loading.READS``); one transaction enqueues one task.
    """
    connection = transaction.get_connection(using)
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, RecomputeWhenCommitted) and not callback.ran:
            return
    transaction.on_commit(RecomputeWhenCommitted(), using=using)
