"""The two processes of a two-core ingest share normalising: the reader normalises while the
writer is still busy with the batch before, the writer whatever is left. Either way the same
rows are written."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from mutualwatch.procurement.models import ProcurementProcess, Release
from mutualwatch.procurement.preparing import PreparedBatch, prepared_batches
from mutualwatch.procurement.readers import detect_layout, iter_input_files
from mutualwatch.procurement.services import (
    EagerCompiler,
    FileBatches,
    IngestSummary,
    _store_file,
)
from mutualwatch.procurement.synthetic import (
    synthetic_releases,
    template_releases,
    write_release_package,
)
from mutualwatch.procurement.validation import release_validator
from mutualwatch.procurement.workers import normalise_while_busy

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
