"""Signals the procurement app sends."""

from django.dispatch import Signal

#: Sent by ``mutualwatch ingest-ocds`` after an ingest finished, with ``run`` (its IngestRun).
#: The processes compiled in it have ``compiled_at`` at or after ``run.started_at``. Receivers
#: keep what depends on procurement data in step (the public search index).
ingest_finished = Signal()
