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
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils import timezone

from mutualwatch.councils.resolution import Resolution
from mutualwatch.procurement.collection import bulk_collection
from mutualwatch.procurement.compile import (
    CompiledGroup,
    json_text,
    merge_order,
)
from mutualwatch.procurement.exceptions import MalformedJSONError, UnsupportedInputError
from mutualwatch.procurement.linking import buyer_resolution, notice_date
from mutualwatch.procurement.models import (
    Amendment,
    Award,
    AwardSupplier,
    Classification,
    Contract,
    IngestRun,
    Lot,
    NoticeSuggestion,
    Party,
    PartyIdentifier,
    ProcurementProcess,
    QuarantinedRelease,
    RejectedFile,
    Release,
    Tender,
)
from mutualwatch.procurement.normalise import ROW_FIELDS, DerivedRows
from mutualwatch.procurement.preparing import (
    GroupInput,
    PreparedBatch,
    compile_inputs,
    groups_of,
    prepared_batches,
)
from mutualwatch.procurement.readers import InputFile, Layout, detect_layout, iter_input_files
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
        _insert(Release, new, ignore_conflicts=True, conflicts_unlikely=True)
        ocids = sorted({row["ocid"] for row in new})
        known = existing_processes(ocids)
        _mark_for_compile(sorted(known))
        ready = batch.compiled or {}  # from all the batch's releases of an ocid: a new one
        fresh = {ocid for ocid in ocids if ocid not in known}  # has no others
        missing = [group for group in groups_of(new) if group[0] in fresh - ready.keys()]
        compiler.write_new(
            [ready[ocid] for ocid in sorted(fresh & ready.keys())] + compile_inputs(missing)
        )
    if batch.invalid:
        _insert(QuarantinedRelease, list(batch.invalid.values()), ignore_conflicts=True)
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
    table = _qn(Release._meta.db_table)
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
        _insert(ProcurementProcess, processes, as_is={"compiled", "merge_warnings", "compiled_at"})
        _insert_derived(normalised, _authorities_of(processes))
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
    _delete_derived(_previously_compiled(ocids))
    _update_processes(processes)
    compiled_ocids = {process["ocid"] for process in processes}
    orphans = [ocid for ocid in ocids if ocid not in compiled_ocids]
    if orphans:  # marked, but with no stored release (cannot happen through ingest): unmark
        ProcurementProcess.objects.filter(ocid__in=orphans).update(needs_compile=False)
    _insert_derived(normalised, _authorities_of(processes))
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


PROCESS_FIELDS = (
    "needs_compile",
    "compiled",
    "ocds_version",
    "release_count",
    "latest_release_date",
    "merge_warnings",
    "compiled_at",
    "publisher",
    "title",
    "buyer_name",
    "buyer_identifier",
    "authority",
    "procurement_method",
)

# Derived rows are written with plain executemany rather than bulk_create/bulk_update:
# compiling writes tens of rows per ocid, and building a model instance and ORM expressions
# for each one cost more than the merge itself.


def _qn(name: str | None) -> str:
    assert name is not None  # every concrete field has a column
    return connection.ops.quote_name(name)


def _update_processes(processes: list[dict[str, Any]]) -> None:
    """UPDATE each process from its row (JSON columns already as JSON text)."""
    if not processes:
        return
    meta = ProcurementProcess._meta
    fields = [meta.get_field(name) for name in PROCESS_FIELDS]
    assignments = ", ".join(f"{_qn(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    # Table and column names come from our own models; values are always parameters.
    sql = f"UPDATE {_qn(meta.db_table)} SET {assignments} WHERE {_qn('ocid')} = %s"  # noqa: S608
    params = [[row[name] for name in PROCESS_FIELDS] + [row["ocid"]] for row in processes]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, params)
            return
        # One set-based UPDATE from a COPY: a statement per row cost the server more than
        # the rest of the write.
        table, stage = _qn(meta.db_table), _qn(f"stage_{meta.db_table}")
        columns = [f.column for f in fields] + ["ocid"]  # type: ignore[union-attr]
        listed = ", ".join(_qn(c) for c in columns)
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} "  # noqa: S608
            f"AS SELECT {listed} FROM {table} WITH NO DATA"
        )
        _copy(cursor, f"COPY {stage} ({listed}) FROM STDIN", params)
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{_qn(c)} = s.{_qn(c)}' for c in columns[:-1])} "  # noqa: S608
            f"FROM {stage} s WHERE {table}.{_qn('ocid')} = s.{_qn('ocid')}"
        )
        cursor.execute(f"TRUNCATE {stage}")


def _insert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    conflicts_unlikely: bool = False,
    as_is: Iterable[str] = (),
) -> None:
    """INSERT rows (dicts keyed by field name, all with the same keys), text cut to each
    column's length and values converted for the driver (but the fields named in ``as_is``,
    which already hold what the driver takes). See _insert_values."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    limits = _limits(model)
    # Text, numbers, booleans and foreign keys go to the driver as they are; only dates,
    # decimals and JSON need the field's conversion (the per-value call is the cost here).
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.ForeignKey,
    )
    steps = [
        (
            f.name,
            limits.get(f.name),
            None if isinstance(f, plain) or f.name in as_is else _converter(f),  # type: ignore[arg-type]
        )
        for f in fields
    ]
    params = []
    for row in rows:
        values = []
        for name, limit, convert in steps:
            value = row[name]
            if limit is not None and isinstance(value, str):
                value = value[:limit]
            values.append(value if convert is None or value is None else convert(value, connection))
        params.append(values)
    _insert_values(
        model,
        list(rows[0]),
        params,
        ignore_conflicts=ignore_conflicts,
        conflicts_unlikely=conflicts_unlikely,
    )


def _insert_values(
    model: type[models.Model],
    names: list[str],
    params: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    conflicts_unlikely: bool = False,
) -> None:
    """INSERT rows of values as the driver takes them, in the order of the fields ``names``:
    one COPY on PostgreSQL, one executemany otherwise. Rows whose key is already stored are
    skipped with ``ignore_conflicts``; on PostgreSQL that copies them into a temporary table
    first, unless ``conflicts_unlikely``: then they are copied straight in, and only if that
    meets a stored key is the batch copied again the longer way.

    executemany rather than multi-row VALUES: on SQLite it runs in C, and psycopg pipelines it;
    but on PostgreSQL COPY is several times faster than either, for the thousands of derived
    rows a compile batch writes.
    """
    if not params:
        return
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(_qn(f.column) for f in fields)  # type: ignore[union-attr]
    placeholders = ", ".join(["%s"] * len(fields))
    table = _qn(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, params)
        elif not ignore_conflicts:
            # COPY: one stream instead of a statement per row (psycopg's client-side cursor
            # would quote every row into its own INSERT).
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", params)
        elif conflicts_unlikely and _copied_unless_conflicting(cursor, table, columns, params):
            return
        else:
            # COPY cannot skip conflicts: copy into a temporary table of the same columns
            # (no constraints), then one INSERT ... SELECT ... ON CONFLICT DO NOTHING.
            stage = _qn(f"stage_{model._meta.db_table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} "  # noqa: S608
                f"AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            _copy(cursor, f"COPY {stage} ({columns}) FROM STDIN", params)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"TRUNCATE {stage}")


def _copied_unless_conflicting(
    cursor: Any, table: str, columns: str, params: Sequence[Sequence[Any]]
) -> bool:
    """COPY the rows straight into the table, or, if one of them is already there, nothing
    (False). The stored JSON is most of what an ingest writes, and copying it through a
    temporary table wrote it twice."""
    import psycopg  # only on PostgreSQL

    try:
        with transaction.atomic():  # a savepoint: a conflict undoes this COPY alone
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", params)
    # psycopg's own error: COPY goes through the driver's cursor, which Django does not wrap
    except psycopg.IntegrityError:
        return False
    return True


def _copy(cursor: Any, statement: str, rows: Sequence[Sequence[Any]]) -> None:
    with cursor.cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(values)


def _json_param(value: Any, _connection: Any) -> str:
    return json_text(value)


def _converter(field: models.Field) -> Callable[[Any, Any], Any]:
    """How a value of this field goes to the driver (None: as it is)."""
    if isinstance(field, models.JSONField):
        return _json_param
    return field.get_db_prep_save


def _mark_for_compile(ocids: list[str]) -> None:
    """Insert these ocids' processes, or set needs_compile on those that exist (one
    executemany; the other columns of a new process take their defaults)."""
    if not ocids:
        return
    meta = ProcurementProcess._meta
    template = ProcurementProcess(needs_compile=True)
    fields = [f for f in meta.concrete_fields if f.name != "ocid"]
    defaults = [
        None  # SQL NULL, not JSON null: "never compiled" (see _previously_compiled)
        if getattr(template, f.attname) is None
        else json_text(getattr(template, f.attname))
        if isinstance(f, models.JSONField)
        else f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in fields
    ]
    columns = ", ".join(_qn(f.column) for f in [meta.pk, *fields])
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    needs = _qn(meta.get_field("needs_compile").column)
    sql = (
        f"INSERT INTO {_qn(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({_qn(meta.pk.column)}) DO UPDATE SET {needs} = EXCLUDED.{needs}"
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, [[ocid, *defaults] for ocid in ocids])
            return
        # One statement over an array of ocids: a statement per ocid cost the server more.
        casts = ", ".join(f"%s::{f.db_type(connection)}" for f in fields)
        cursor.execute(
            f"INSERT INTO {_qn(meta.db_table)} ({columns}) "  # noqa: S608
            f"SELECT ocid, {casts} FROM unnest(%s::text[]) AS ocid "
            f"ON CONFLICT ({_qn(meta.pk.column)}) DO UPDATE SET {needs} = EXCLUDED.{needs}",
            [*defaults, ocids],
        )


def _delete_derived(ocids: list[str]) -> None:
    """Remove the normalised rows of these ocids (not their notice suggestions: those carry
    reviewers' decisions). Names come from our models; the ocids are parameters."""
    if not ocids:
        return
    marks = ", ".join(["%s"] * len(ocids))
    party, award = _qn(Party._meta.db_table), _qn(Award._meta.db_table)
    statements = [
        f"DELETE FROM {_qn(AwardSupplier._meta.db_table)} WHERE award_id IN "  # noqa: S608
        f"(SELECT id FROM {award} WHERE process_id IN ({marks}))",
        f"DELETE FROM {_qn(PartyIdentifier._meta.db_table)} WHERE party_id IN "  # noqa: S608
        f"(SELECT id FROM {party} WHERE process_id IN ({marks}))",
    ] + [
        f"DELETE FROM {_qn(model._meta.db_table)} WHERE process_id IN ({marks})"  # noqa: S608
        for model in (Award, Party, Tender, Lot, Contract, Amendment, Classification)
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, ocids)


_LIMITS: dict[type[models.Model], dict[str, int]] = {}


def _limits(model: type[models.Model]) -> dict[str, int]:
    """Column lengths: published data has no length limits, columns do, so text is cut."""
    if model not in _LIMITS:
        _LIMITS[model] = {
            f.name: f.max_length
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField) and f.max_length
        }
    return _LIMITS[model]


def _insert_derived(normalised: dict[str, DerivedRows], authorities: dict[str, int | None]) -> None:
    """Write the normalised rows of these processes: their tuples with the ocid, and the keys
    of parties and awards, reserved here, in place of their positions."""
    rows: dict[type[models.Model], list[tuple[Any, ...]]] = {model: [] for model in DERIVED_FIELDS}
    party_ids = _reserve_ids(Party, sum(len(n.parties) for n in normalised.values()))
    award_ids = _reserve_ids(Award, sum(len(n.awards) for n in normalised.values()))
    tenders, lots, contracts = rows[Tender], rows[Lot], rows[Contract]
    amendments, classifications = rows[Amendment], rows[Classification]
    notices, parties, awards = rows[NoticeSuggestion], rows[Party], rows[Award]
    identifiers, suppliers = rows[PartyIdentifier], rows[AwardSupplier]
    next_party = next_award = 0
    for ocid, process in normalised.items():
        if process.tender is not None:
            tenders.append((ocid, *process.tender))
        lots += [(ocid, *row) for row in process.lots]
        contracts += [(ocid, *row) for row in process.contracts]
        amendments += [(ocid, *row) for row in process.amendments]
        classifications += [(ocid, *row) for row in process.classifications]
        notices += [(ocid, "pending", *row) for row in process.notices]
        buyer = authorities.get(ocid)
        pks = party_ids[next_party : next_party + len(process.parties)]
        next_party += len(process.parties)
        for position, (pk, party) in enumerate(zip(pks, process.parties, strict=True)):
            authority = buyer if position == process.buyer_position else None
            parties.append((pk, ocid, position, party[0], authority, *party[1:]))
        identifiers += [(pks[at], *rest) for at, *rest in process.identifiers]
        award_pks = award_ids[next_award : next_award + len(process.awards)]
        next_award += len(process.awards)
        awards += [
            (pk, ocid, position, *award)
            for position, (pk, award) in enumerate(zip(award_pks, process.awards, strict=True))
        ]
        suppliers += [
            (award_pks[award_at], None if party_at is None else pks[party_at], name)
            for award_at, party_at, name in process.suppliers
        ]
    for model, table_rows in rows.items():
        names = DERIVED_FIELDS[model]
        _insert_values(
            model,
            names,
            _for_driver(model, names, table_rows),
            ignore_conflicts=model is NoticeSuggestion,
        )


# The fields of _insert_derived's tuples, in their order: those set here, then the keys of
# normalise's dicts (normalise.ROW_FIELDS, checked by its tests). Tables in the order they are
# written: rows that refer to others come after them.
DERIVED_FIELDS: dict[type[models.Model], list[str]] = {
    Tender: ["process", *ROW_FIELDS["tender"]],
    Lot: ["process", *ROW_FIELDS["lot"]],
    Contract: ["process", *ROW_FIELDS["contract"]],
    Amendment: ["process", *ROW_FIELDS["amendment"]],
    Classification: ["process", *ROW_FIELDS["classification"]],
    NoticeSuggestion: ["process", "status", *ROW_FIELDS["notice"]],
    Party: ["id", "process", "position", "party_id", "authority", *ROW_FIELDS["party"], "roles"],
    Award: ["id", "process", "position", *ROW_FIELDS["award"][:-1]],  # less its suppliers
    PartyIdentifier: ["party", "scheme", "identifier", "is_primary"],
    AwardSupplier: ["award", "party", "name"],
}


def _for_driver(
    model: type[models.Model], names: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The rows with their date-times as the backend takes them: SQLite stores them as text
    (naive, in the connection's time zone, as Django writes them); psycopg takes them as
    they are."""
    positions = [
        n
        for n, name in enumerate(names)
        if isinstance(model._meta.get_field(name), models.DateTimeField)
    ]
    if not positions or connection.vendor == "postgresql":
        return rows
    zone = connection.timezone
    converted = []
    for row in rows:
        values = list(row)
        for n in positions:
            value = values[n]
            if value is not None:
                values[n] = str(value.astimezone(zone).replace(tzinfo=None))
        converted.append(tuple(values))
    return converted


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows about to be inserted, so the rows that refer to them need not
    read them back. SQLite: this transaction holds the only write lock, so the keys above the
    largest are free. PostgreSQL: taken from the column's sequence, as an insert would."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({_qn(column)}) FROM {_qn(table)}")  # noqa: S608
        largest = cursor.fetchone()[0] or 0
        return list(range(largest + 1, largest + 1 + count))
