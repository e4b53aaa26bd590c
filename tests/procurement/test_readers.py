"""Streaming readers: every accepted shape, and clean errors for broken input."""

import gzip
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualwatch.procurement.exceptions import (
    InputNotFoundError,
    MalformedJSONError,
    UnsupportedInputError,
)
from mutualwatch.procurement.readers import (
    Layout,
    detect_layout,
    iter_input_files,
    read_releases,
)

from .conftest import package, release, write_json


def read_all(path: Path) -> list:
    return [item for source in iter_input_files([path]) for item in read_releases(source)]


def test_release_package_with_metadata_after_the_releases(tmp_path: Path) -> None:
    # Key order is not guaranteed: the version and publisher may follow the releases.
    body = json.dumps(
        {
            "releases": [release(release_id="1"), release(release_id="2")],
            "publisher": {"name": "Late Publisher"},
            "version": "1.1",
        }
    )
    path = tmp_path / "late.json"
    path.write_text(body)
    items = read_all(path)
    assert [item.data["id"] for item in items] == ["1", "2"]
    assert {(item.publisher, item.declared_version) for item in items} == {
        ("Late Publisher", "1.1")
    }
    assert [item.position for item in items] == ["releases[0]", "releases[1]"]


def test_package_without_version_declares_nothing(tmp_path: Path) -> None:
    path = write_json(tmp_path / "old.json", package(release(), version=None))
    (item,) = read_all(path)
    assert item.declared_version is None
    assert item.publisher == "Example Publisher"


def test_record_package_yields_embedded_and_marks_linked_releases(tmp_path: Path) -> None:
    data = {
        "version": "1.1",
        "publisher": {"name": "P"},
        "records": [
            {"ocid": "A", "releases": [release("A", "1"), {"url": "https://x/1", "date": "d"}]},
            {"ocid": "B", "releases": [release("B", "2")], "compiledRelease": release("B")},
        ],
    }
    items = read_all(write_json(tmp_path / "records.json", data))
    assert [(i.data.get("id"), i.linked) for i in items] == [
        ("1", False),
        (None, True),
        ("2", False),
    ]
    assert items[2].position == "records[1].releases[0]"


def test_bare_record_streams_its_releases_and_skips_the_compiled_release(tmp_path: Path) -> None:
    data = {"ocid": "A", "releases": [release("A", "1")], "compiledRelease": release("A", "c")}
    (item,) = read_all(write_json(tmp_path / "record.json", data))
    assert item.data["id"] == "1"


def test_bare_release_takes_its_own_version(tmp_path: Path) -> None:
    (item,) = read_all(write_json(tmp_path / "r.json", release(version="1.1")))
    assert item.declared_version == "1.1"
    assert item.position == "release"


def test_array_of_releases_and_of_packages(tmp_path: Path) -> None:
    releases = read_all(write_json(tmp_path / "a.json", [release("A", "1"), release("A", "2")]))
    assert [i.position for i in releases] == ["[0]", "[1]"]
    packages = read_all(write_json(tmp_path / "p.json", [package(release("A", "1"))]))
    assert packages[0].publisher == "Example Publisher"


def test_json_lines_detected_by_content_and_by_name(tmp_path: Path) -> None:
    lines = [json.dumps(package(release("A", "1"))), json.dumps(release("B", "2"))]
    for name in ("lines.json", "lines.jsonl"):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n")
        (source,) = iter_input_files([path])
        assert detect_layout(source) is Layout.JSON_LINES
        items = list(read_releases(source))
        assert [(i.data["id"], i.position) for i in items] == [
            ("1", "line 1 releases[0]"),
            ("2", "line 2"),
        ]


def test_single_line_document_is_a_document(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(package(release())) + "\n")
    (source,) = iter_input_files([path])
    assert detect_layout(source) is Layout.DOCUMENT


def test_gzip_zip_and_directories(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json.gz", package(release("A", "1")), gz=True)
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as archive:
        archive.writestr("inner/b.json", json.dumps(package(release("B", "2"))))
        archive.writestr("inner/c.jsonl", json.dumps(release("C", "3")) + "\n")
        archive.writestr("inner/readme.txt", "not data")
    (tmp_path / "notes.txt").write_text("ignored")
    names = [source.name for source in iter_input_files([tmp_path])]
    assert names == [
        str(tmp_path / "a.json.gz"),
        f"{tmp_path / 'b.zip'}!inner/b.json",
        f"{tmp_path / 'b.zip'}!inner/c.jsonl",
    ]
    assert sorted(i.data["id"] for i in read_all(tmp_path)) == ["1", "2", "3"]


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="no such file"):
        list(iter_input_files([tmp_path / "absent.json"]))
    with pytest.raises(InputNotFoundError, match="holds no"):
        list(iter_input_files([tmp_path]))


def test_malformed_document_names_line_and_byte(tmp_path: Path) -> None:
    text = json.dumps(package(release("A", "1"), release("A", "2")), indent=1)
    broken = text.replace('"2"', '"2" oops', 1)
    path = tmp_path / "broken.json"
    path.write_text(broken)
    with pytest.raises(MalformedJSONError) as caught:
        read_all(path)
    offset = broken.index("oops")
    assert caught.value.byte_offset == offset
    assert caught.value.line == broken[:offset].count("\n") + 1
    assert str(path) in str(caught.value)


def test_truncated_document_reports_end_of_input(tmp_path: Path) -> None:
    text = json.dumps(package(release("A", "1"), release("A", "2")))
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2 + 5])
    with pytest.raises(MalformedJSONError, match="premature EOF") as caught:
        read_all(path)
    assert caught.value.byte_offset is not None


def test_malformed_json_line_keeps_the_lines_before(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    good = json.dumps(release("A", "1"))
    path.write_text(f"{good}\n{{not json\n{good}\n")
    (source,) = iter_input_files([path])
    seen = []

    def consume() -> None:
        seen.extend(item.data["id"] for item in read_releases(source))

    with pytest.raises(MalformedJSONError) as caught:
        consume()
    assert seen == ["1"]
    assert caught.value.line == 2
    assert caught.value.byte_offset == len(good) + 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"hello", "expected a JSON object"),
        (b"42", "expected"),
    ],
)
def test_not_json_at_all(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(MalformedJSONError, match=message):
        read_all(path)


def test_corrupt_gzip_is_a_clean_error(tmp_path: Path) -> None:
    data = gzip.compress(json.dumps(package(release())).encode())
    path = tmp_path / "x.json.gz"
    path.write_bytes(data[: len(data) - 12])
    with pytest.raises(MalformedJSONError):
        read_all(path)


VALID = json.dumps(
    package(release("A", "1"), release("A", "2", tender={"id": "t", "title": "Ü"})), indent=1
).encode()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_input_gives_releases_or_a_clean_error(tmp_path: Path, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["truncate", "flip", "random", "insert"]))
    content = VALID
    if kind == "truncate":
        content = VALID[: data.draw(st.integers(0, len(VALID)))]
    elif kind == "flip":
        at = data.draw(st.integers(0, len(VALID) - 1))
        content = VALID[:at] + bytes([data.draw(st.integers(0, 255))]) + VALID[at + 1 :]
    elif kind == "insert":
        at = data.draw(st.integers(0, len(VALID)))
        content = VALID[:at] + data.draw(st.binary(min_size=1, max_size=8)) + VALID[at:]
    else:
        content = data.draw(st.binary(max_size=200))
    path = tmp_path / "damaged.json"
    path.write_bytes(content)
    outcome: list[str] = []
    try:
        items = read_all(path)
    except (MalformedJSONError, UnsupportedInputError) as error:
        outcome.append(str(error))
    else:
        outcome.extend(item.position for item in items)
    # either releases, each with a position, or one error naming the file; nothing else
    assert all(outcome)
    assert all(str(path) in entry for entry in outcome) or all(
        entry.startswith(("release", "[", "releases[", "records[")) for entry in outcome
    )
