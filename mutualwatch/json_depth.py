"""How deeply a JSON text nests, measured over its bytes before any parser builds it.

A few hundred kilobytes of ``[[[[...`` cost a parser gigabytes (every level an object, a
frame or an event) before it gives up; 180 KB inside a package's ``releases`` took an ingest
63 s and 20 GB. Every JSON reader of files from outside first passes the bytes through
``DepthGauge``, which refuses them as soon as they nest deeper than ``MAX_DEPTH``.

OCDS never nests deeper than about 20 levels (a package, a release, then the deepest paths such
as ``contracts/implementation/transactions/payer/identifier``); the register format nests 3.
``MAX_DEPTH`` leaves room for extensions and is still far below where a parser's memory grows.

The gauge works a chunk at a time at C speed: escaped characters are removed (a backslash and
the character after it), everything but quotes and brackets is deleted, and what is left is
counted in numpy: a bracket counts where the quotes before it are even in number (it is
outside every string), and the counted brackets are summed cumulatively. A string or an escape
cut by a chunk's end is carried into the next chunk.
"""

import re
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_DEPTH = 64

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_QUOTE = ord('"')
_KEEP_ONLY_STRUCTURE = bytes(range(256)).translate(None, b'"[]{}')  # the bytes to delete
_STEP = np.zeros(256, dtype=np.int8)
_STEP[list(b"[{")] = 1
_STEP[list(b"]}")] = -1


class TooDeepError(ValueError):
    """Raised when a JSON text nests deeper than the limit. ``offset``: the chunk's start."""

    def __init__(self, depth: int, limit: int, offset: int) -> None:
        self.depth, self.limit, self.offset = depth, limit, offset
        super().__init__(
            f"nests deeper than {limit} levels (at least {depth}, in the bytes from offset "
            f"{offset}); OCDS and the register format never nest beyond about 20"
        )


class DepthGauge:
    """Feed it a JSON text's bytes in order; it raises ``TooDeepError`` past ``limit``."""

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.offset = 0
        self._in_string = False
        self._escape_pending = False

    def feed(self, chunk: bytes) -> None:
        start = self.offset
        self.offset += len(chunk)
        if self._escape_pending and chunk:
            chunk = chunk[1:]
            self._escape_pending = False
        if b"\\" in chunk:
            chunk = _ESCAPE.sub(b"", chunk)
            if chunk.endswith(b"\\"):
                chunk = chunk[:-1]
                self._escape_pending = True
        structure = np.frombuffer(chunk.translate(None, _KEEP_ONLY_STRUCTURE), dtype=np.uint8)
        if not structure.size:
            return
        # A bracket counts only outside strings: where the quotes before it are even in number.
        quotes = np.cumsum(structure == _QUOTE, dtype=np.int64)
        if self._in_string:
            quotes += 1
        outside = (quotes & 1) == 0
        levels = np.cumsum(_STEP[structure] * outside, dtype=np.int64)
        self._in_string = not outside[-1]
        deepest = self.depth + int(levels.max())
        self.depth += int(levels[-1])
        if deepest > self.limit:
            raise TooDeepError(deepest, self.limit, start)


def check_depth(text: bytes | str, limit: int = MAX_DEPTH) -> None:
    """Raise ``TooDeepError`` if a whole JSON text nests deeper than ``limit``."""
    gauge = DepthGauge(limit)
    data = text.encode("utf-8") if isinstance(text, str) else text
    for start in range(0, len(data), 1 << 20):
        gauge.feed(data[start : start + (1 << 20)])


class GaugedStream:
    """A byte stream whose every read passes through a ``DepthGauge`` before the caller (a
    parser) sees it. ``refusal`` turns a ``TooDeepError`` into the caller's own error."""

    def __init__(
        self,
        stream: Any,
        refusal: Callable[[TooDeepError], Exception] = lambda error: error,
        limit: int = MAX_DEPTH,
    ) -> None:
        self.stream = stream
        self.refusal = refusal
        self.gauge = DepthGauge(limit)

    def _gauged(self, data: bytes) -> bytes:
        try:
            self.gauge.feed(data)
        except TooDeepError as error:
            raise self.refusal(error) from None
        return data

    def read(self, size: int = -1) -> bytes:
        return self._gauged(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._gauged(self.stream.readline(size))

    def __iter__(self) -> "GaugedStream":
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __enter__(self) -> "GaugedStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def close(self) -> None:
        self.stream.close()
