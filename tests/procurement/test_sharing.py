"""The two processes of a two-core ingest share normalising: the reader normalises while the
writer is still busy with the batch before, the writer whatever is left. Either way the same
rows are written. The reader's batches reach the writer in order, and the writer's
connection is set for bulk writing."""

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from mutualwatch.procurement.models import ProcurementProcess, Release
from mutualwatch.procurement.preparing import PreparedBatch, prepared_batches
from mutualwatch.procurement.readers import detect_layout, iter_input_files
from mutualwatch.procurement.services import (
    SQLITE_WRITING_CACHE_KIB,
    EagerCompiler,
    FileBatches,
    IngestSummary,
    _store_file,
    _writing,
)
from mutualwatch.procurement.synthetic import (
    synthetic_releases,
    template_releases,
    write_release_package,
)
from mutualwatch.procurement.validation import release_validator
from mutualwatch.procurement.workers import Outbox, normalise_while_busy

from .dump import canonical_dump

pytestmark = pytest.mark.django_db


@dataclass
class Written:
    value: int  # as the shared counter of batches the writer has written


def batches_of(path: Path) -> tuple[FileBatches, list[PreparedBatch]]:
    (source,) = iter_input_files([path])
    layout = detect_layout(source)
    batches = list(
        prepared_batches(source, layout, release_validator(), 50, compiling=True, normalising=False)
    )
    return FileBatches(source.name, layout, iter(batches)), batches


def sample(real_ocds: Path, tmp_path: Path) -> Path:
    """300 releases made from the real Contracts Finder samples, three to an ocid."""
    templates = template_releases(sorted(real_ocds.rglob("*.json")))
    path = tmp_path / "sample.json"
    write_release_package(path, synthetic_releases(templates, 300), "Sample")
    return path


def test_the_reader_normalises_only_while_the_writer_is_busy(
    ocds_standard: Path, real_ocds: Path, tmp_path: Path
) -> None:
    _, (batch, *_) = batches_of(sample(real_ocds, tmp_path))
    groups = list((batch.compiled or {}).values())
    assert groups
    normalise_while_busy(batch, Written(1), sent=1)  # the writer is free: left to it
    assert all(group.rows is None for group in groups)
    normalise_while_busy(batch, Written(0), sent=1)  # still writing the batch before
    assert all(group.rows is not None for group in groups if group.compiled_json is not None)


def test_rows_are_the_same_whichever_process_normalised_them(
    ocds_standard: Path, real_ocds: Path, tmp_path: Path
) -> None:
    path = sample(real_ocds, tmp_path)
    dumps = []
    for share in ("reader", "writer", "half each"):
        file, batches = batches_of(path)
        for batch in batches:
            for n, group in enumerate((batch.compiled or {}).values()):
                if share == "reader" or (share == "half each" and n % 2):
                    group.normalised()
        _store_file(file, IngestSummary(), None, EagerCompiler())
        dumps.append(canonical_dump())
        ProcurementProcess.objects.all().delete()
        Release.objects.all().delete()
    assert dumps[0]["Party"]
    assert dumps[0] == dumps[1] == dumps[2]


def test_the_outbox_sends_in_order_and_reports_a_message_that_will_not_pickle() -> None:
    receiving, sending = multiprocessing.get_context("spawn").Pipe(duplex=False)
    outbox = Outbox(sending, ahead=2)
    for n in range(5):  # more than it holds: the reader waits only until the pipe takes one
        outbox.send(("batch", n))
    outbox.send(("batch", lambda: None))  # a lambda cannot be pickled
    outbox.send(("done",))  # must not block the reader behind the failed message
    outbox.close()
    received = []
    for _ in range(6):
        assert receiving.poll(10), f"only {received} arrived"
        received.append(receiving.recv())
    assert received[:5] == [("batch", n) for n in range(5)]
    assert received[5][0] == "failed"
    assert "pickle" in received[5][1]
    assert not receiving.poll(0.2)  # nothing after the failure


def test_sqlite_keeps_a_bigger_page_cache_while_an_ingest_writes() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    with _writing(), connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -SQLITE_WRITING_CACHE_KIB
    assert SQLITE_WRITING_CACHE_KIB > 2000  # SQLite's default: about 2 MB
