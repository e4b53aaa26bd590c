import datetime

import orjson
import pytest

from mutualwatch.registers import store
from mutualwatch.registers.exceptions import WrongFileError
from mutualwatch.registers.ownership import ingest_ownership
from tests.shared_data import REGISTERS, require

BODS = REGISTERS / "openownership-bods-psc-bluetail"


def controls(connection, number=None):
    sql = "SELECT subject_number, controller_kind, controller_name, controller_number, start_on "
    sql += "FROM controls" + (" WHERE subject_number = ?" if number else "")
    return connection.execute(sql, [number] if number else []).fetchall()


def test_bods_keeps_corporate_controllers_and_only_the_fact_of_an_individual():
    for path in sorted(require(BODS).glob("*.json")):
        ingest_ownership(path)
    with store.connect() as connection:
        rows = controls(connection)
        kinds = {kind for _s, kind, *_ in rows}
        balfour = controls(connection, "00101073")
        people = [r for r in rows if r[1] == "individual"]
    assert {"company", "individual"} <= kinds
    assert (
        "00101073", "company", "BALFOUR BEATTY INVESTMENT HOLDINGS LIMITED", "01198315",
        datetime.date(2016, 4, 6),
    ) in balfour  # fmt: skip
    assert people
    assert all(name is None for _s, _k, name, *_ in people)


def test_no_personal_detail_of_an_individual_reaches_the_store():
    path = require(BODS / "GB-COH_00101073_bods.json")
    statements = orjson.loads(path.read_bytes())
    people = [s for s in statements if s["statementType"] == "personStatement"]
    for path in sorted(BODS.glob("*.json")):
        ingest_ownership(path)
    names = {
        part["fullName"]
        for person in people
        for part in person.get("names", [])
        if part.get("fullName")
    }
    with store.connect() as connection:
        stored = connection.execute("SELECT * FROM controls").fetchall()
    text = repr(stored)
    assert not [name for name in names if name in text]


def psc_line(number: str, kind: str, **data) -> bytes:
    return orjson.dumps({"company_number": number, "data": {"kind": kind, **data}}) + b"\n"


def test_companies_house_psc_json_lines(tmp_path):
    path = tmp_path / "persons-with-significant-control-snapshot-2024-05-01.txt"
    corporate = "corporate-entity-person-with-significant-control"
    links = "/company/01234567/persons-with-significant-control"
    totals = {"kind": "totals#persons-of-significant-control-snapshot", "count": 2}
    lines = [
        psc_line("1234567", corporate, name="PARENT GROUP LIMITED",
                 identification={"registration_number": "7654321",
                                 "place_registered": "Companies House"},
                 notified_on="2020-01-02",
                 natures_of_control=["ownership-of-shares-75-to-100-percent"],
                 links={"self": f"{links}/corporate-entity/a"}),
        psc_line("01234567", "individual-person-with-significant-control",
                 name="Mrs Jane Example", date_of_birth={"month": 1, "year": 1970},
                 notified_on="2016-04-06", ceased_on="2020-01-02",
                 links={"self": f"{links}/individual/b"}),
        orjson.dumps({"data": totals}) + b"\n",
    ]  # fmt: skip
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(lines))
    summary = ingest_ownership(path)
    assert (summary.controls, summary.rows_bad) == (2, 0)
    with store.connect() as connection:
        rows = controls(connection, "01234567")
        text = repr(connection.execute("SELECT * FROM controls").fetchall())
    assert ("01234567", "company", "PARENT GROUP LIMITED", "07654321",
            datetime.date(2020, 1, 2)) in rows  # fmt: skip
    assert "Jane" not in text
    assert "1970" not in text
    assert ingest_ownership(path).already_present


def test_bad_psc_lines_are_set_aside_and_a_mostly_bad_file_refused(tmp_path):
    good = [
        psc_line(f"{n:08d}", "legal-person-person-with-significant-control", name="A Council",
                 notified_on="2019-01-01", links={"self": f"/c/{n}"})
        for n in range(1, 300)
    ]  # fmt: skip
    path = tmp_path / "psc.txt"
    long_line = b'{"company_number": "1", "data": {"name": "' + b"x" * (11 * 1024**2) + b'"}}\n'
    path.write_bytes(b"".join(good[:100]) + b"{truncated\n" + long_line + b"".join(good[100:]))
    summary = ingest_ownership(path)
    assert (summary.controls, summary.rows_bad) == (299, 2)
    with store.connect() as connection:
        reasons = [row["reason"] for row in store.bad_rows(connection)]
    assert any("not a PSC line" in reason for reason in reasons)
    assert any("longer than" in reason for reason in reasons)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"".join(good[:10]) + b"\xff\xfe not json\n" * 5)
    with pytest.raises(WrongFileError, match="refused as the wrong file"):
        ingest_ownership(bad)


def test_a_truncated_or_over_deep_bods_file_is_refused_and_nothing_stored(tmp_path):
    whole = require(BODS / "GB-COH_00101073_bods.json").read_bytes()
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(WrongFileError, match="not JSON"):
        ingest_ownership(truncated)
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100 + b"]" * 100)
    with pytest.raises(WrongFileError, match="nest"):
        ingest_ownership(deep)
    with store.connect() as connection:
        assert controls(connection) == []


def test_bods_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + require(BODS / "GB-COH_00101073_bods.json").read_bytes())
    assert ingest_ownership(path).controls > 0
