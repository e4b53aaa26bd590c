"""One JSON document read a value at a time, so a package of any size never sits in memory.

The stream is decoded in chunks into a text window; each value (a release, say) is parsed
whole by the json module's C scanner (``raw_decode``), which is several times faster than
building it from a token stream. A value cut by the end of the window is parsed again once
more text has been read; consumed text is dropped, so the window holds one chunk and the
value being read.

Errors name the byte offset and line of the offending character (or, where the document
ends too soon, of the value it ends inside).

An object laid out the usual ways (alone on its line, or pretty-printed with its closing brace
indented as its opening line) is first tried with msgspec, twice as fast, on the text up to
where it should end: an object is self-delimiting, so text that parses whole as an object is
exactly the value the json module would read there. msgspec refuses some of what json takes
(infinities, lone surrogates): json then reads it. (orjson, as fast, reads integers beyond 64
bits as floats.)
"""

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import msgspec

from mutualwatch.procurement.exceptions import MalformedJSONError

CHUNK_BYTES = 1 << 20
# A decode error this close to the end of the window may only mean the value goes on.
NEAR_THE_END = 32
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_FAST_DECODER = msgspec.json.Decoder()
# The layout guess missed this many objects in a row: the document is laid out otherwise.
FAST_PATH_MISSES = 16


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


class ByteStream(Protocol):
    def read(self, size: int, /) -> bytes: ...


class JSONStream:
    """``reopen`` opens the document again from its start: an error's line is counted then,
    rather than counting every line as it is read."""

    def __init__(
        self,
        stream: ByteStream,
        name: str,
        reopen: Callable[[], Any],
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self.stream = stream
        self.chunk_bytes = chunk_bytes
        self.name = name
        self.reopen = reopen
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.bytes_fed = 0  # to the decoder
        self.bytes_before = 0  # in the document, before self.text[0]
        self.at_end = False
        self.started = False
        self.misses = 0  # in a row, of the faster path (see whole_object)

    # -- reading -----------------------------------------------------------------------------

    def _read_more(self) -> bool:
        """Append the next chunk to the window (dropping what was consumed); False at the end."""
        if self.at_end:
            return False
        data = self.stream.read(self.chunk_bytes)
        remaining = self.text[self.pos :]
        held = len(self.decoder.getstate()[0])  # the start of a character cut by the chunk
        self.bytes_before = self.bytes_fed - held - len(remaining.encode("utf-8", "surrogatepass"))
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            raise MalformedJSONError(
                self.name,
                f"text is not UTF-8 ({error.reason})",
                byte_offset=self.bytes_fed - held + max(error.start, 0),
            ) from error
        self.bytes_fed += len(data)
        self.at_end = not data
        if not self.started and text:
            self.started = True
            text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the JSON
        self.text = remaining + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the document)."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._read_more():
                return ""

    def expect(self, characters: str) -> str:
        found = self.peek()
        if not found or found not in characters:
            wanted = " or ".join(repr(c) for c in characters)
            raise self.error(f"expected {wanted}, found {found!r}" if found else "premature EOF")
        self.pos += 1
        return found

    def value(self) -> Any:
        """The next value, whole."""
        self.peek()
        if self.misses < FAST_PATH_MISSES and self.text.startswith("{", self.pos):
            found = whole_object(self.text, self.pos)
            if found is not None:
                self.misses = 0
                self.pos = found[1]
                return found[0]
            self.misses += 1
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                unterminated = error.msg.startswith("Unterminated string")
                near_the_end = error.pos >= len(self.text) - NEAR_THE_END
                if (unterminated or near_the_end) and self._read_more():
                    continue
                ended = unterminated or error.pos >= len(self.text)
                reason = f"premature EOF ({error.msg})" if ended else error.msg
                raise self.error(reason, error.pos) from error
            except ValueError as error:  # NaN or Infinity
                raise self.error(str(error)) from error
            except RecursionError as error:
                raise self.error("nested too deeply") from error
            scalar = self.text[self.pos] not in '{["'
            if scalar and end >= len(self.text) - NEAR_THE_END and self._read_more():
                continue  # a number near the end of the window may go on ("1" of "1.5")
            self.pos = end
            return value

    def items(self) -> Iterator[Any]:
        """The values of the array that starts here, one at a time."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.expect(",]") == "]":
                return

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here: after each, read its value (or items)."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("expected a member name")
            key = self.value()
            self.expect(":")
            yield key
            if self.expect(",}") == "}":
                return

    def end(self) -> None:
        if self.peek():
            raise self.error("more content after the end of the document")

    # -- errors ------------------------------------------------------------------------------

    def error(self, reason: str, at: int | None = None) -> MalformedJSONError:
        at = self.pos if at is None else at
        offset = self.bytes_before + len(self.text[:at].encode("utf-8", "surrogatepass"))
        return MalformedJSONError(self.name, reason, line=self._line_at(offset), byte_offset=offset)

    def _line_at(self, offset: int) -> int:
        newlines, left = 0, offset
        with self.reopen() as stream:
            while left > 0:
                data = stream.read(min(left, CHUNK_BYTES))
                if not data:
                    break
                newlines += data.count(b"\n")
                left -= len(data)
        return newlines + 1


def whole_object(text: str, start: int) -> tuple[Any, int] | None:
    """The object that starts at ``start`` and where it ends, if it ends where its layout says
    (see the module's docstring) and msgspec reads it; else None."""
    line_end = text.find("\n", start)
    if line_end < 0:
        return None  # the window may end inside it
    end = line_end
    while text[end - 1] in " \t\r,":
        end -= 1
    if text[end - 1] != "}" or end - 1 == start:
        # not alone on its line: pretty-printed, its closing brace is indented as it is
        indent = text[text.rfind("\n", 0, start) + 1 : start]
        if indent.strip(" \t"):
            return None
        closing = text.find(f"\n{indent}}}", start)
        if closing < 0:
            return None
        end = closing + len(indent) + 2
    try:
        return _FAST_DECODER.decode(text[start:end]), end
    except (msgspec.DecodeError, RecursionError):  # json then says why, as it would have
        return None
