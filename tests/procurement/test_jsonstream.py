"""The document reader that parses one value at a time: the same values and the same error
places whatever the chunk size, so a value cut by a chunk boundary is never misread."""

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualwatch.procurement.exceptions import MalformedJSONError
from mutualwatch.procurement.jsonstream import JSONStream

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def stream_of(data: bytes, chunk_bytes: int) -> JSONStream:
    return JSONStream(io.BytesIO(data), "test.json", lambda: io.BytesIO(data), chunk_bytes)


def items_of(data: bytes, chunk_bytes: int) -> list[Any]:
    document = stream_of(data, chunk_bytes)
    items = list(document.items())
    document.end()
    return items


@settings(max_examples=150)
@given(
    values=st.lists(json_values, max_size=6),
    chunk_bytes=st.integers(min_value=1, max_value=64),
    indent=st.sampled_from([None, 1]),
    ascii_only=st.booleans(),
)
def test_every_chunk_size_reads_the_same_values(
    values: list[Any], chunk_bytes: int, indent: int | None, ascii_only: bool
) -> None:
    data = json.dumps(values, indent=indent, ensure_ascii=ascii_only).encode(
        "utf-8", "surrogatepass"
    )
    try:
        expected = json.loads(data)
    except UnicodeDecodeError:
        return  # lone surrogates written raw: not UTF-8, not our question here
    assert items_of(data, chunk_bytes) == expected


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 5, 1 << 20])
def test_an_error_is_placed_the_same_whatever_the_chunks(chunk_bytes: int) -> None:
    data = '[{"name": "Café"},\n {"name": "Straße", "x": 1 oops}]'.encode()
    with pytest.raises(MalformedJSONError) as caught:
        items_of(data, chunk_bytes)
    assert caught.value.byte_offset == data.index(b"oops")
    assert caught.value.line == 2


@pytest.mark.parametrize("chunk_bytes", [1, 4, 1 << 20])
def test_a_document_that_ends_too_soon_says_so(chunk_bytes: int) -> None:
    with pytest.raises(MalformedJSONError, match="premature EOF"):
        items_of(b'[{"name": "cut', chunk_bytes)
    with pytest.raises(MalformedJSONError, match="premature EOF"):
        items_of(b'[{"name": 1}, ', chunk_bytes)


def test_byte_order_mark_is_skipped_and_counted() -> None:
    data = b"\xef\xbb\xbf" + b"[1, 2, x]"
    with pytest.raises(MalformedJSONError, match="Expecting value") as caught:
        items_of(data, 2)
    assert caught.value.byte_offset == data.index(b"x")
    assert "premature" not in str(caught.value)  # it did not end too soon: x is wrong
    assert items_of(b"\xef\xbb\xbf[1, 2]", 2) == [1, 2]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[NaN]", "NaN is not a JSON value"),
        (b"[1] [2]", "more content after the end"),
        (b'[1, "\xff"]', "not UTF-8"),
        (b"{}", "expected '\\['"),
    ],
)
def test_what_json_does_not_allow_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(MalformedJSONError, match=reason):
        items_of(data, 3)


def test_members_of_an_object_are_read_in_order() -> None:
    document = stream_of(b'{"a": 1, "b": [1, 2, 3], "c": {"d": null}}', 4)
    seen = {}
    for key in document.members():
        seen[key] = list(document.items()) if key == "b" else document.value()
    document.end()
    assert seen == {"a": 1, "b": [1, 2, 3], "c": {"d": None}}
