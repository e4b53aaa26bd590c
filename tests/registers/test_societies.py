import datetime
import zipfile

import pytest

from mutualwatch.registers import store
from mutualwatch.registers.exceptions import UnsafeArchiveError, WrongFileError
from mutualwatch.registers.identifiers import company_number, register_identifier, society_number
from mutualwatch.registers.societies import ingest_societies
from tests.shared_data import REGISTERS, require

CO_OPS = REGISTERS / "co-operatives-uk" / "open_data_organisations_2017-06_sample.csv"
FCA_HEADER = (
    "Society Number,Society Suffix,Full Registation Number,Society Name,Registered As,"
    "Society Address,Registration Date,Deregistration Date,Registration Act,"
    "Standard Industrial Classification Code (SIC),Reporting Classification,Society Status"
)


def test_the_real_co_operatives_uk_sample():
    summary = ingest_societies(require(CO_OPS))
    assert (summary.layout, summary.rows_read, summary.rows_bad) == ("co-operatives-uk", 1378, 0)
    assert summary.snapshot_on == datetime.date(2017, 6, 30)
    with store.connect() as connection:
        group = connection.execute("SELECT name FROM societies WHERE number = '525R'").fetchall()
        forms = connection.execute(
            "SELECT count(*) FROM cooperative_forms WHERE register = 'companies-house'"
        ).fetchall()
    assert group == [("Co-operative Group Limited",)]
    assert forms[0][0] > 100
    assert ingest_societies(CO_OPS).already_present


def fca_row(number, name, address, registered, deregistered="", status="Registered"):
    act = "Co-operative and Community Benefit Societies Act 2014"
    cells = [number, "R", f"{number}R", name, "Co-operative Society", address, registered,
             deregistered, act, "47110", "Retail", status]  # fmt: skip
    return ",".join(f'"{cell}"' for cell in cells)


def fca_file(path, rows):
    path.write_text("\n".join([FCA_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_fca_society_list_and_its_status_changes(tmp_path):
    group = fca_row("525", "Example Co-operative Limited", "1 Balloon St, M60 0AB", "11/08/1863")
    trust = ("30123", "Example Leisure Trust", "2 High St, Leeds, LS1 1AA", "01/04/2010")
    first = fca_file(tmp_path / "SocietyList-2024-01.csv", [group, fca_row(*trust)])
    second = fca_file(
        tmp_path / "SocietyList-2024-02.csv",
        [group, fca_row(*trust, deregistered="15/02/2024", status="Deregistered")],
    )
    assert ingest_societies(first).layout == "fca"
    summary = ingest_societies(second)
    assert summary.changes == {"status": 1}
    with store.connect() as connection:
        row = connection.execute(
            "SELECT status, dissolved_on, postcode FROM societies WHERE number = '30123R'"
        ).fetchall()
    assert row == [("Deregistered", datetime.date(2024, 2, 15), "LS1 1AA")]


def test_bad_society_rows_and_wrong_files(tmp_path):
    rows = [fca_row(str(n), f"Society {n}", "Street, Town, AB1 2CD", "01/01/2000")
            for n in range(1, 200)]  # fmt: skip
    rows.insert(50, fca_row("9999", "Bad Date", "x", "31/02/2000"))
    summary = ingest_societies(fca_file(tmp_path / "SocietyList-2024-03.csv", rows))
    assert (summary.rows_read, summary.rows_bad) == (200, 1)
    with store.connect() as connection:
        (bad,) = store.bad_rows(connection)
    assert (bad["line"], bad["reason"]) == (
        52,
        "Registration Date '31/02/2000' is not a date (D/M/YYYY)",
    )
    wrong = tmp_path / "SocietyList-2024-04.csv"
    wrong.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(WrongFileError, match="neither the Co-operatives UK"):
        ingest_societies(wrong)
    slip = tmp_path / "SocietyList-2024-05.zip"
    with zipfile.ZipFile(slip, "w") as archive:
        archive.writestr("../SocietyList.csv", FCA_HEADER + "\n")
    with pytest.raises(UnsafeArchiveError, match="zip slip"):
        ingest_societies(slip)


@pytest.mark.parametrize(
    ("written", "number"),
    [("8209948", "08209948"), ("SC 12345", "SC012345"), ("GB-COH-00101073", "00101073"),
     ("oc301540", "OC301540"), ("0", ""), ("ABC123", ""), ("123456789", "")],
)  # fmt: skip
def test_company_numbers_are_written_as_companies_house_writes_them(written, number):
    assert company_number(written) == number


@pytest.mark.parametrize(
    ("written", "number"),
    [("525R", "525R"), ("GB-MPR-00525r", "525R"), ("2059RS", "2059RS"), ("525", "525R"),
     ("", "")],
)  # fmt: skip
def test_society_numbers_are_written_as_the_fca_writes_them(written, number):
    assert society_number(written) == number


def test_a_notice_identifier_names_its_register():
    assert register_identifier("GB-COH", "1234567") == ("companies-house", "01234567")
    assert register_identifier("", "GB-MPR-525R") == ("societies", "525R")
    assert register_identifier("GB-CHC", "1000000") == ("charities", "1000000")
    assert register_identifier("GB-COH", "not a number") == ("", "")
    assert register_identifier("XI-EORI", "123") == ("", "")
