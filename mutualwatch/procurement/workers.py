"""The worker processes that compile ocids beside the ingest (see services.compile_pending).

Workers are spawned, so this module is imported before Django is set up: it imports nothing
of mutualwatch's models at the top.
"""

import os
import queue
import threading
import time
import traceback
from typing import Any

# Batches the reader may have prepared and not yet handed over: enough that it never waits
# for the writer to take one, few enough that memory stays flat (a batch is a few MB).
READ_AHEAD = 3

_authority_cache: dict[Any, Any] = {}  # services.AuthorityCache, without importing it here
_write_lock: Any = None


def start_worker(overrides: dict[str, Any], parent: int, write_lock: Any) -> None:
    """Set Django up with the settings the parent may have changed at run time (the test
    database, say), keep the lock writers share (or None), and leave with the parent if it is
    killed."""
    global _write_lock
    _write_lock = write_lock
    import django
    from django.conf import settings

    django.setup()
    for name, value in overrides.items():
        if name == "DATABASES":
            # in place: the connection handler may already hold this very dict
            default: dict[str, Any] = settings.DATABASES["default"]  # type: ignore[assignment]
            default.clear()
            default.update(value["default"])
        else:
            setattr(settings, name, value)

    def exit_with_parent() -> None:  # a killed ingest leaves no worker behind
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=exit_with_parent, daemon=True).start()

    from mutualwatch.procurement.collection import tune_for_bulk_work

    tune_for_bulk_work()


def compile_in_worker(ocids: list[str]) -> int:
    from mutualwatch.procurement.services import compile_ocids

    compile_ocids(ocids, _authority_cache, _write_lock)
    return len(ocids)


def read_in_worker(
    sending: Any,
    paths: list[str],
    batch_size: int,
    overrides: dict[str, Any],
    parent: int,
    written: Any,
) -> None:
    """Read, validate and compile the files' releases, sending prepared batches to the parent,
    which writes them: ("file", name, layout or None), ("batch", batch)..., then ("end",) or
    ("rejected", error); after the last file ("done",), or ("failed", traceback).

    ``written`` counts the batches the parent has written. While it is still writing the last
    batch sent, this process would only wait to send the next: it normalises the next batch's
    ocids instead, one at a time, until the parent is free; the parent normalises the rest.
    So the work is shared whichever of the two is the busier (the writer on SQLite, say, and
    less so on PostgreSQL, whose server does much of the writing).
    """
    start_worker(overrides, parent, None)
    from mutualwatch.procurement.exceptions import MalformedJSONError, UnsupportedInputError
    from mutualwatch.procurement.preparing import prepared_batches
    from mutualwatch.procurement.readers import detect_layout, iter_input_files

    # Looked up in this process's own connection: the parent's uncommitted batches are not
    # seen here, and the parent decides which ocids are new.
    from mutualwatch.procurement.services import stored_ocids
    from mutualwatch.procurement.validation import release_validator

    outbox = Outbox(sending, READ_AHEAD)
    try:
        validator = release_validator()
        known_ocids = None if _database_is_private() else stored_ocids
        sent = 0
        for source in iter_input_files(paths):
            announced = False
            try:
                layout = detect_layout(source)
                outbox.send(("file", source.name, layout))
                announced = True
                for batch in prepared_batches(
                    source,
                    layout,
                    validator,
                    batch_size,
                    compiling=True,
                    normalising=False,
                    known_ocids=known_ocids,
                ):
                    normalise_while_busy(batch, written, sent)
                    outbox.send(("batch", batch))
                    sent += 1
                outbox.send(("end",))
            except (MalformedJSONError, UnsupportedInputError) as error:
                if not announced:
                    outbox.send(("file", source.name, None))
                outbox.send(("rejected", error))
        outbox.send(("done",))
    except Exception:  # noqa: BLE001  the parent shows it; this process has no one to tell
        outbox.send(("failed", traceback.format_exc()))
    outbox.close()


class Outbox:
    """Messages sent through the pipe by a thread of their own, in order, up to ``ahead`` of
    them waiting: the pipe holds one message, and without this the reader would stop at
    each batch until the writer took the one before."""

    def __init__(self, sending: Any, ahead: int) -> None:
        self._sending = sending
        self._waiting: queue.Queue[Any] = queue.Queue(maxsize=ahead)
        self._thread = threading.Thread(target=self._send_in_order, daemon=True)
        self._thread.start()

    def send(self, message: Any) -> None:
        self._waiting.put(message)

    def close(self) -> None:
        """Return once every message is in the pipe."""
        self._waiting.put(None)
        self._thread.join()

    def _send_in_order(self) -> None:
        try:
            while (message := self._waiting.get()) is not None:
                self._sending.send(message)
        except Exception:  # noqa: BLE001  a message that would not pickle: the parent is told
            self._sending.send(("failed", traceback.format_exc()))
            while self._waiting.get() is not None:  # the reader must not wait on a full queue
                pass


def normalise_while_busy(batch: Any, written: Any, sent: int) -> None:
    """Normalise the batch's compiled ocids, one at a time, for as long as the parent has
    written fewer than the ``sent`` batches before it (some may still wait in the outbox)."""
    for group in (batch.compiled or {}).values():
        if written.value >= sent:
            return
        group.normalised()


def _database_is_private() -> bool:
    """An in-memory SQLite database (the tests') is not the parent's: nothing to look up."""
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]
