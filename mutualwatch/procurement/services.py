"""Every write the procurement app makes: storing releases, quarantining invalid ones,
recording rejected files, and compiling ocids into the normalised tables.

The ingest runs in two steps, each safe to kill at any point:

1. *Store.* Releases are read file by file and kept once each by content hash; the ocids that
   received a new release are marked ``needs_compile``. A JSON document is stored in one
   transaction (all of it or, if it turns out malformed, none of it); JSON Lines are committed
   per batch, so the lines before a bad one are kept. An ocid seen for the first time in a
   batch is compiled there and then, from the releases in memory (EagerCompiler): published
   files mostly carry an ocid's releases together, and reading them back costs time.
2. *Compile.* The ocids still marked (those whose releases came in more than one batch, file
   or run) are compiled in batches, each batch written in one transaction: the releases come
   out of the database grouped by ocid, so no file's worth is ever held in memory. With
   ``workers`` above one, batches are compiled by that many worker processes at once, each
   with its own database connection.

With ``workers`` above one and enough input, the files are also read, validated and compiled
in a second process (see _read_in_another_process), while this one writes.

Running again after a kill finds the stored releases already present and the unfinished ocids
still marked, and so ends in the same database as a run that was never interrupted.
"""

import itertools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils import timezone

from mutualwatch.councils.resolution import Resolution
from mutualwatch.procurement.bulk_writes import (
    delete_derived,
    insert,
    insert_derived,
    mark_for_compile,
    quoted,
    update_processes,
)
from mutualwatch.procurement.collection import bulk_collection
from mutualwatch.procurement.compile import (
    CompiledGroup,
    json_text,
    merge_order,
)
from mutualwatch.procurement.exceptions import MalformedJSONError, UnsupportedInputError
from mutualwatch.procurement.linking import buyer_resolution, notice_date
from mutualwatch.procurement.models import (
    IngestRun,
    ProcurementProcess,
    QuarantinedRelease,
    RejectedFile,
    Release,
)
from mutualwatch.procurement.normalise import DerivedRows
from mutualwatch.procurement.preparing import (
    GroupInput,
    PreparedBatch,
    compile_inputs,
    groups_of,
    prepared_batches,
)
from mutualwatch.procurement.readers import InputFile, Layout, detect_layout, iter_input_files
from mutualwatch.procurement.signals import ingest_finished
from mutualwatch.procurement.validation import ReleaseValidator, release_validator
from mutualwatch.procurement.workers import compile_in_worker, read_in_worker, start_worker

STORE_BATCH = 1000
COMPILE_BATCH = 200
# Starting worker processes costs a second or two: below this many pending ocids, one process.
PARALLEL_FROM = 4000

Progress = Callable[[str, int], None]
# Each distinct buyer's resolution, worked out once per ingest and asked each notice's date.
AuthorityCache = dict[tuple[str, tuple[tuple[str, str], ...]], Resolution]
# Input above this many bytes per pending release is worth a second process to read it.
BYTES_PER_RELEASE = 4096
# SQLite's page cache while an ingest writes (see _writing): more than the default's 2 MB,
# and a small share of the memory target.
SQLITE_WRITING_CACHE_KIB = 64 * 1024


@dataclass
class IngestSummary:
    files: int = 0
    files_rejected: int = 0
    releases_read: int = 0
    new: int = 0
    already_present: int = 0
    quarantined: int = 0
    linked_releases_skipped: int = 0
    ocids_compiled: int = 0
    seconds: float = 0.0
    storing_seconds: float = 0.0
    rejections: list[str] = field(default_factory=list)
    run: "IngestRun | None" = None  # the log of this ingest, once it finished
    notes: list[str] = field(default_factory=list)  # what ingest_finished's receivers said

    def add(self, other: "IngestSummary") -> None:
        self.releases_read += other.releases_read
        self.new += other.new
        self.already_present += other.already_present
        self.quarantined += other.quarantined
        self.linked_releases_skipped += other.linked_releases_skipped


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    batch_size: int = STORE_BATCH,
    compile_batch: int = COMPILE_BATCH,
    workers: int = 1,
    parallel_from: int = PARALLEL_FROM,
) -> IngestSummary:
    """Store every release under the paths, then compile every ocid that needs it (with
    ``workers`` processes when there is enough to compile)."""
    started, started_at = time.monotonic(), timezone.now()
    validator = release_validator()  # fails early, before any write, if the standard is absent
    sources = list(iter_input_files(paths))  # fails early if a path does not exist
    summary = IngestSummary()
    compiler = EagerCompiler(progress)
    with bulk_collection():
        if workers > 1 and _input_bytes(paths) >= parallel_from * BYTES_PER_RELEASE:
            files = _read_in_another_process(paths, batch_size)
        else:
            files = _read_here(sources, validator, batch_size)
        for file in files:
            summary.files += 1
            _store_file(file, summary, progress, compiler)
        summary.storing_seconds = time.monotonic() - started
        compile_pending(
            progress=progress,
            batch_size=compile_batch,
            workers=workers,
            parallel_from=parallel_from,
        )
    # Distinct ocids: one compiled while its file was read and again later counts once.
    summary.ocids_compiled = ProcurementProcess.objects.filter(compiled_at__gte=started_at).count()
    summary.seconds = time.monotonic() - started
    summary.run = IngestRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        files=summary.files,
        files_rejected=summary.files_rejected,
        releases_read=summary.releases_read,
        new=summary.new,
        already_present=summary.already_present,
        quarantined=summary.quarantined,
        ocids_compiled=summary.ocids_compiled,
    )
    # Whatever keeps step with procurement data (the search index) does so here, for every
    # ingest, however it was started; what the receivers say is the summary's to show.
    for _receiver, said in ingest_finished.send(sender=IngestRun, run=summary.run):
        if said:
            summary.notes.append(str(said))
    return summary


@dataclass
class FileBatches:
    """One input file's releases, prepared in batches by whichever process reads it."""

    name: str
    layout: Layout | None  # None: not readable as JSON at all (``batches`` raises why)
    batches: Iterator[PreparedBatch]


def _read_here(
    sources: list[InputFile], validator: ReleaseValidator, batch_size: int
) -> Iterator[FileBatches]:
    for source in sources:
        try:
            layout = detect_layout(source)
        except (MalformedJSONError, UnsupportedInputError) as error:
            yield FileBatches(source.name, None, _raising(error))
            continue
        # Compiled as prepared, from the releases in memory, but for ocids already stored.
        batches = prepared_batches(
            source, layout, validator, batch_size, compiling=True, known_ocids=stored_ocids
        )
        yield FileBatches(source.name, layout, batches)


def _raising(error: Exception) -> Iterator[PreparedBatch]:
    raise error
    yield  # a generator: raises when the first batch is asked for


def _read_in_another_process(paths: Iterable[str | Path], batch_size: int) -> Iterator[FileBatches]:
    """Files read, validated and compiled in a spawned process (workers.read_in_worker),
    while this one writes: the batches arrive through a pipe, which holds at most one.

    The two share normalising the compiled ocids: the reader while this process is still
    writing the batch before (see workers.read_in_worker), this one the rest
    (CompiledGroup.normalised).
    """
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    overrides = {
        "DATABASES": {"default": dict(connection.settings_dict)},  # to skip stored ocids
        "OCDS_STANDARD_DIR": settings.OCDS_STANDARD_DIR,
    }
    written = context.RawValue("q", 0)  # batches written here: see workers.read_in_worker
    reader = context.Process(
        target=read_in_worker,
        args=(sending, [str(path) for path in paths], batch_size, overrides, os.getpid(), written),
        daemon=True,
    )
    reader.start()
    sending.close()
    try:
        while True:
            message = receiving.recv()
            if message[0] == "done":
                return
            if message[0] == "failed":
                raise RuntimeError(f"The process reading the files failed:\n{message[1]}")
            _, name, layout = message
            yield FileBatches(name, layout, _batches_from(receiving, written))
    finally:
        if reader.is_alive():
            reader.kill()
        reader.join()
        receiving.close()


def _batches_from(receiving: Any, written: Any) -> Iterator[PreparedBatch]:
    while True:
        message = receiving.recv()
        if message[0] == "end":
            return
        if message[0] == "rejected":
            raise message[1]
        yield message[1]
        written.value += 1  # the batch is written: asked for the next


def _input_bytes(paths: Iterable[str | Path]) -> int:
    total = 0
    for raw in paths:
        path = Path(raw)
        files = path.rglob("*") if path.is_dir() else [path]
        total += sum(f.stat().st_size for f in files if f.is_file())
    return total


def _store_file(
    file: FileBatches, summary: IngestSummary, progress: Progress | None, compiler: "EagerCompiler"
) -> None:
    """Store one file's batches; record the file as rejected if it is malformed."""
    counts = IngestSummary()
    kept_before_error = file.layout is Layout.JSON_LINES
    try:
        if file.layout is Layout.JSON_LINES:
            for batch in file.batches:  # the lines before a malformed one are kept
                with _writing():
                    _write_batch(batch, counts, progress, compiler)
        else:
            with _writing():
                for batch in file.batches:
                    _write_batch(batch, counts, progress, compiler)
    except (MalformedJSONError, UnsupportedInputError) as error:
        line = getattr(error, "line", None)
        offset = getattr(error, "byte_offset", None)
        RejectedFile.objects.update_or_create(
            path=file.name,
            defaults={
                "reason": str(error),
                "line": line,
                "byte_offset": offset,
                "kept_before_error": kept_before_error,
            },
        )
        summary.files_rejected += 1
        summary.rejections.append(str(error))
        if kept_before_error:
            summary.add(counts)
        return
    RejectedFile.objects.filter(path=file.name).delete()
    summary.add(counts)


@contextmanager
def _writing() -> Iterator[None]:
    """A transaction that stores releases or compiled rows.

    On PostgreSQL its foreign-key checks, which run at the commit, look the rows they refer to
    up by index. The server keeps a check's plan for the connection once it has run a few
    times; where the table it reads was analysed empty (a new database), the plan made during
    the first small file was a sequential scan, kept while the table grew. Ingesting the
    national world's 5,142 files, every award's check then read the whole award table: a
    billion rows read for the first 50,000 awards, and the ingest fell below 530 releases/s.
    The derived tables have no such checks now (see procurement.models); the setting stays
    for those that remain, of notice suggestions and of the links to register authorities.

    On SQLite the page cache is raised from its default of 2 MB (for this connection, from
    now on): every batch inserts into the indexes of a dozen tables, keyed by hashes and ocids
    spread over the whole file, and with the default most of those inserts read their page
    back from the operating system. The benchmark's inserts took a fifth less time.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
            elif connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_WRITING_CACHE_KIB}")
        yield


def _write_batch(
    batch: PreparedBatch,
    counts: IngestSummary,
    progress: Progress | None,
    compiler: "EagerCompiler",
) -> None:
    """Store a prepared batch (inside the caller's transaction), and compile the ocids seen
    for the first time in it."""
    counts.releases_read += batch.releases_read
    counts.linked_releases_skipped += batch.linked_releases_skipped
    counts.quarantined += batch.quarantined
    counts.already_present += batch.repeated
    if batch.valid:
        present = _present_hashes(list(batch.valid))
        counts.already_present += len(present)
        new = [row for key, row in batch.valid.items() if key not in present]
        counts.new += len(new)
        # Absent a moment ago (another ingest at the same time could still store one).
        insert(Release, new, ignore_conflicts=True, conflicts_unlikely=True)
        ocids = sorted({row["ocid"] for row in new})
        known = existing_processes(ocids)
        mark_for_compile(sorted(known))
        ready = batch.compiled or {}  # from all the batch's releases of an ocid: a new one
        fresh = {ocid for ocid in ocids if ocid not in known}  # has no others
        missing = [group for group in groups_of(new) if group[0] in fresh - ready.keys()]
        compiler.write_new(
            [ready[ocid] for ocid in sorted(fresh & ready.keys())] + compile_inputs(missing)
        )
    if batch.invalid:
        insert(QuarantinedRelease, list(batch.invalid.values()), ignore_conflicts=True)
    if progress is not None:
        progress("read", batch.size)


def existing_processes(ocids: list[str]) -> set[str]:
    return set(ProcurementProcess.objects.filter(ocid__in=ocids).values_list("ocid", flat=True))


def stored_ocids(rows: list[dict[str, Any]]) -> set[str]:
    """The ocids of these release rows that have a process stored already."""
    return existing_processes(sorted({row["ocid"] for row in rows}))


def _present_hashes(hashes: list[str]) -> set[str]:
    """Which of these content hashes are stored (plain SQL: the ORM's per-value work for a
    thousand parameters cost more than the query)."""
    marks = ", ".join(["%s"] * len(hashes))
    table = quoted(Release._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content_hash FROM {table} WHERE content_hash IN ({marks})",  # noqa: S608
            hashes,
        )
        return {row[0] for row in cursor.fetchall()}


class EagerCompiler:
    """Compiles, while the files are still being read, the ocids a stored batch brought in
    whole (seen for the first time in it): from the releases in memory, with nothing read
    back from the database, inside the transaction that stores them (so a file rejected whole
    still leaves nothing behind). An ocid that gets another release later is marked again,
    and compile_pending compiles it once more.

    The merging is done where the batch was prepared: in this process, or, with more than one
    worker, in the process that reads the files (see _read_in_another_process).
    """

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.cache: AuthorityCache = {}

    def write_new(self, compiled: list[CompiledGroup]) -> None:
        """Insert the processes of ocids not yet stored, compiled, with their rows."""
        if not compiled:
            return
        processes, normalised = _process_rows(compiled, {}, self.cache)
        # Already converted for the driver: JSON as text, the time as the backend takes it.
        insert(ProcurementProcess, processes, as_is={"compiled", "merge_warnings", "compiled_at"})
        insert_derived(normalised, _authorities_of(processes))
        if self.progress is not None:
            self.progress("compiled", len(processes))


# -- compiling --------------------------------------------------------------------------------


def compile_pending(
    *,
    progress: Progress | None = None,
    batch_size: int = COMPILE_BATCH,
    workers: int = 1,
    parallel_from: int = PARALLEL_FROM,
) -> int:
    """Compile every ocid marked ``needs_compile``, a batch per transaction. Returns the count.

    Ocids are taken in order (keyset, not offset), so a batch never overlaps the one before.
    An ocid that received a release while it compiled stays marked, and is compiled again.
    """
    compiled = 0
    while True:
        pending = ProcurementProcess.objects.filter(needs_compile=True).count()
        if not pending:
            return compiled
        if workers > 1 and pending >= parallel_from:
            compiled += _compile_in_workers(workers, batch_size, progress)
        else:
            cache: AuthorityCache = {}
            for ocids in _pending_batches(batch_size):
                compile_ocids(ocids, cache)
                compiled += len(ocids)
                if progress is not None:
                    progress("compiled", len(ocids))


def _compile_in_workers(workers: int, batch_size: int, progress: Progress | None) -> int:
    """One pass over the pending ocids, their batches shared among worker processes.

    The workers are spawned, not forked (the caller may have threads, such as a progress bar's),
    and told the settings this process may have changed at run time (the test database, say).
    A few batches per worker are in flight at a time, so the queue stays short. SQLite takes
    one writer at a time, and makes a waiting one poll in sleeps of up to 100 ms: there the
    workers take turns to write through a lock instead, which wakes the next one at once.
    """
    context = multiprocessing.get_context("spawn")
    write_lock = context.Lock() if connection.vendor == "sqlite" else None
    overrides = {
        "DATABASES": {"default": dict(connection.settings_dict)},
        "OCDS_STANDARD_DIR": settings.OCDS_STANDARD_DIR,
    }
    connections.close_all()  # nothing open is shared with the workers
    compiled = 0
    in_flight: set[Future[int]] = set()
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=start_worker,
        initargs=(overrides, os.getpid(), write_lock),
    ) as pool:

        def collect(block_until: str) -> int:
            nonlocal in_flight
            done, in_flight = wait(in_flight, return_when=block_until)
            count = sum(future.result() for future in done)  # a worker's error is raised here
            if progress is not None and count:
                progress("compiled", count)
            return count

        for ocids in _pending_batches(batch_size):
            in_flight.add(pool.submit(compile_in_worker, ocids))
            if len(in_flight) >= workers * 3:
                compiled += collect(FIRST_COMPLETED)
        if in_flight:
            compiled += collect("ALL_COMPLETED")
    return compiled


def _pending_batches(batch_size: int) -> Iterator[list[str]]:
    after = ""
    while True:
        ocids = list(
            ProcurementProcess.objects.filter(needs_compile=True, ocid__gt=after)
            .order_by("ocid")
            .values_list("ocid", flat=True)[:batch_size]
        )
        if not ocids:
            return
        yield ocids
        after = ocids[-1]


def compile_ocids(
    ocids: list[str],
    authority_cache: AuthorityCache | None = None,
    write_lock: AbstractContextManager[Any] | None = None,
) -> None:
    """Rebuild the compiled release and normalised rows of these ocids from their releases.

    The database groups and orders the releases; they are read and compiled outside the
    transaction that writes the result, so other workers can write meanwhile.
    """
    groups = compile_inputs(_read_groups(ocids))
    with write_lock or nullcontext(), _writing():
        _write_compiled(ocids, groups, authority_cache if authority_cache is not None else {})


def _read_groups(ocids: list[str]) -> list[GroupInput]:
    """The ocids' stored releases, grouped by ocid, each group in merge order."""
    rows = (
        Release.objects.filter(ocid__in=ocids)
        .order_by("ocid")
        .values_list(
            "ocid", "canonical_json", "ocds_version", "publisher", "date", "release_id", "pk"
        )
        .iterator(chunk_size=2000)
    )
    groups: list[GroupInput] = []
    for ocid, members in itertools.groupby(rows, key=lambda row: row[0]):
        ordered = sorted(members, key=lambda row: merge_order(row[4], row[5], row[6]))
        groups.append((ocid, [(row[1], row[2], row[3], row[4]) for row in ordered]))
    return groups


def _write_compiled(ocids: list[str], groups: list[CompiledGroup], cache: AuthorityCache) -> int:
    """Write the groups' processes and normalised rows; how many were current (no release
    arrived for them since they were read)."""
    processes, normalised = _process_rows(groups, _release_counts(ocids), cache)
    delete_derived(_previously_compiled(ocids))
    update_processes(processes)
    compiled_ocids = {process["ocid"] for process in processes}
    orphans = [ocid for ocid in ocids if ocid not in compiled_ocids]
    if orphans:  # marked, but with no stored release (cannot happen through ingest): unmark
        ProcurementProcess.objects.filter(ocid__in=orphans).update(needs_compile=False)
    insert_derived(normalised, _authorities_of(processes))
    return sum(not process["needs_compile"] for process in processes)


def _authorities_of(processes: list[dict[str, Any]]) -> dict[str, int | None]:
    """Each process's buyer's authority (its primary key), as ``_process_rows`` resolved it."""
    return {process["ocid"]: process["authority"] for process in processes}


def _process_rows(
    groups: list[CompiledGroup], stored: dict[str, int], cache: AuthorityCache
) -> tuple[list[dict[str, Any]], dict[str, DerivedRows]]:
    """Each group's process row (every field of PROCESS_FIELDS, and the ocid), and the
    normalised rows of those that compiled. ``stored``: each ocid's stored releases, where a
    release may have arrived since the group was read (absent: none can have)."""
    processes: list[dict[str, Any]] = []
    normalised: dict[str, DerivedRows] = {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for group in groups:
        process = {
            "ocid": group.ocid,
            # a release that arrived since the read: compiled again on the next pass
            "needs_compile": stored.get(group.ocid, group.release_count) != group.release_count,
            "compiled": group.compiled_json,
            "ocds_version": group.version,
            "release_count": group.release_count,
            "latest_release_date": group.latest_release_date,
            "merge_warnings": json_text(group.warnings),
            "compiled_at": now,
            "publisher": group.publisher,
            **UNCOMPILED,
        }
        rows = group.normalised()
        if rows is not None:
            process.update(rows.process)
            key = (rows.process["buyer_name"], rows.buyer_identifiers)
            if key not in cache:
                cache[key] = buyer_resolution(key[0], list(key[1]))
            authority = cache[key].on(notice_date(group.latest_release_date))
            process["authority"] = authority.pk if authority is not None else None
            normalised[group.ocid] = rows
        processes.append(process)
    return processes, normalised


# What a process the merge could not compile has in the columns compiling fills.
UNCOMPILED = {
    "title": "",
    "buyer_name": "",
    "buyer_identifier": "",
    "authority": None,
    "procurement_method": "",
}


def _previously_compiled(ocids: list[str]) -> list[str]:
    """The ocids that may have normalised rows: only a compiled process has any (in a first
    ingest, none has, and ten DELETEs per batch are saved)."""
    return list(
        ProcurementProcess.objects.filter(ocid__in=ocids, compiled__isnull=False).values_list(
            "ocid", flat=True
        )
    )


def _release_counts(ocids: list[str]) -> dict[str, int]:
    return dict(
        Release.objects.filter(ocid__in=ocids)
        .values("ocid")
        .annotate(count=models.Count("pk"))
        .values_list("ocid", "count")
    )
