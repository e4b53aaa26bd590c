"""The document reader that parses one value at a time: the same values and the same error
places whatever the chunk size, so a value cut by a chunk boundary is never misread."""

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualwatch.procurement.exceptions import MalformedJSONError
from mutualwatch.procurement.jsonstream import JSONStream, whole_object

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


def exactly(value: Any) -> str:
    """A value as text that tells an integer from an equal float (1 == 1.0 in Python)."""
    return json.dumps(value, sort_keys=True)


big_numbers = st.integers(min_value=-(10**30), max_value=10**30) | st.floats(
    allow_nan=False, allow_infinity=False
)
objects = st.dictionaries(st.text(max_size=8), json_values | big_numbers, max_size=5)


@settings(max_examples=300)
@given(
    values=st.lists(objects, min_size=1, max_size=4),
    layout=st.sampled_from(["line", "indent", "compact"]),
    ascii_only=st.booleans(),
)
def test_objects_read_by_the_faster_path_are_what_json_reads(
    values: list[dict[str, Any]], layout: str, ascii_only: bool
) -> None:
    """Laid out one per line, pretty-printed or all on one line: the same values, integers
    beyond 64 bits included (orjson would read those as floats)."""
    if layout == "line":
        text = "[\n" + ",\n".join(json.dumps(v, ensure_ascii=ascii_only) for v in values) + "\n]"
    else:
        text = json.dumps(values, indent=2 if layout == "indent" else None, ensure_ascii=ascii_only)
    data = text.encode("utf-8", "surrogatepass")
    try:
        expected = json.loads(data)
    except UnicodeDecodeError:
        return
    assert exactly(items_of(data, 1 << 20)) == exactly(expected)
    assert exactly(items_of(data, 7)) == exactly(expected)


@settings(max_examples=500)
@given(
    text=st.text(alphabet='{}[]":,0123456789.eE-+ \n\tabnul\\', max_size=40),
    prefix=st.sampled_from(["", "  ", "\n  "]),
)
def test_whole_object_reads_what_json_reads_or_leaves_it(text: str, prefix: str) -> None:
    """Damaged or random text: whole_object gives json's value and end, or nothing."""
    window = prefix + "{" + text
    start = len(prefix)
    found = whole_object(window, start)
    if found is None:
        return
    value, end = json.JSONDecoder().raw_decode(window, start)
    assert (exactly(found[0]), found[1]) == (exactly(value), end)


def test_a_pretty_printed_package_is_read_by_the_faster_path() -> None:
    releases = [{"ocid": f"ocds-{n}", "tender": {"id": n, "items": [{"id": 1}]}} for n in range(3)]
    data = json.dumps(releases, indent=2).encode()
    document = stream_of(data, 1 << 20)
    assert list(document.items()) == releases
    assert document.misses == 0


def test_an_object_nested_too_deeply_for_the_faster_path_gets_jsons_clean_error() -> None:
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    with pytest.raises(MalformedJSONError, match="nested too deeply"):
        items_of(f"[\n{deep}\n]".encode(), 1 << 20)
