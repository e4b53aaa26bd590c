"""The network membership file (docs/network-membership.md): parsing, import, the command."""

import csv
import datetime
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutualwatch.register.models import NetworkMembership, Source
from mutualwatch.register.network_file import (
    COLUMNS,
    NetworkFileInvalid,
    read_network_file,
)
from mutualwatch.register.services import import_network_file
from tests.conftest import build_authority, build_source

REPO = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 12, 6)
REPORT = {
    "source_title": "Annual report 2019",
    "source_url": "https://network.example.org/annual-report-2019",
    "source_publisher": "The network",
    "source_published_on": "2019-03-19",
}
LAUNCH = {
    "source_title": "The network's launch",
    "source_url": "https://network.example.org/launch",
    "source_publisher": "A councillor's blog",
    "source_published_on": "2011",
}


def write(folder: Path, rows: list[dict[str, str]], name: str = "members.csv") -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(dict.fromkeys(COLUMNS, "") | row)
    return path


def good_rows() -> list[dict[str, str]]:
    return [
        {
            "member_name": "Lambeth",
            "member_type": "council",
            "gss_code": "E09000022",
            "listed_on": "2011-07-15",
            **LAUNCH,
            "notes": "Named at the launch.",
        },
        {
            "member_name": "Stroud District Council",
            "member_type": "council",
            "tier": "associate",
            "gss_code": "E07000082",
            "joined_on": "2019-06",
            "left_on": "2023",
            **REPORT,
        },
        {
            "member_name": "Hillingdon Labour and Co-op Group",
            "member_type": "opposition-group",
            "tier": "affiliate",
            "gss_code": "E09000017",
            "listed_on": "2019",
            **REPORT,
        },
        {
            "member_name": "Co-operatives UK",
            "member_type": "organisation",
            "tier": "affiliate",
            "joined_on": "2019-01-18",
            **REPORT,
        },
    ]


CODES = {"E09000022", "E07000082", "E09000017"}


def test_a_good_file_reads_as_spells_with_their_dates_precisions_and_sources(tmp_path):
    rows = read_network_file(write(tmp_path, good_rows()), CODES)

    lambeth, stroud, group, organisation = rows
    assert (lambeth.joined_on, lambeth.joined_precision, lambeth.joined_basis) == (
        datetime.date(2011, 7, 15),
        "day",
        "first-listed",
    )
    assert lambeth.tier == "unstated"  # blank: the source gives no tier
    assert lambeth.source.published_on is None  # only a year: no day to store
    assert (stroud.joined_on, stroud.joined_precision, stroud.joined_basis) == (
        datetime.date(2019, 6, 1),
        "month",
        "joined",
    )
    assert (stroud.left_on, stroud.left_precision) == (datetime.date(2023, 1, 1), "year")
    assert (group.member_type, group.gss_code, group.joined_precision) == (
        "opposition-group",
        "E09000017",
        "year",
    )
    assert organisation.gss_code == ""
    assert stroud.source.published_on == datetime.date(2019, 3, 19)
    assert [r.line for r in rows] == [2, 3, 4, 5]


BAD_ROWS = {
    "no source": (
        {"source_url": ""},
        "line 2, field 'source_url': is required",
    ),
    "a source that is not a web address": (
        {"source_url": "annual report"},
        "line 2, field 'source_url': 'annual report' is not a web address (http:// or https://)",
    ),
    "no source title": ({"source_title": ""}, "line 2, field 'source_title': is required"),
    "a council not in the register": (
        {"gss_code": "E09999999"},
        "line 2, field 'gss_code': no council with GSS code 'E09999999' in the register",
    ),
    "a council without a code": (
        {"gss_code": ""},
        "line 2, field 'gss_code': is required for a member of type 'council'",
    ),
    "an unknown member type": (
        {"member_type": "town-council"},
        "line 2, field 'member_type': 'town-council' is not one of council, opposition-group, "
        "organisation",
    ),
    "an unknown tier": (
        {"tier": "gold"},
        "line 2, field 'tier': 'gold' is not one of full, associate, affiliate",
    ),
    "a bad date": (
        {"listed_on": "15/07/2011"},
        "line 2, field 'listed_on': '15/07/2011' is not a date written as YYYY, YYYY-MM or "
        "YYYY-MM-DD",
    ),
    "no date at all": (
        {"listed_on": ""},
        "line 2, field 'joined_on': is required when listed_on is blank",
    ),
    "leaving before joining": (
        {"left_on": "2010"},
        "line 2, field 'left_on': 2010-01-01 is before the spell starts",
    ),
    "no name": ({"member_name": ""}, "line 2, field 'member_name': is required"),
}


@pytest.mark.parametrize("change", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_each_kind_of_bad_row_is_refused_naming_file_line_and_field(tmp_path, change):
    values, message = change
    rows = good_rows()
    rows[0] |= values
    path = write(tmp_path, rows)

    with pytest.raises(NetworkFileInvalid) as refused:
        read_network_file(path, CODES)

    assert refused.value.errors == [f"{path}, {message}"]


def test_every_error_in_the_file_is_listed_not_only_the_first(tmp_path):
    rows = good_rows()
    rows[0]["source_url"] = ""
    rows[2]["gss_code"] = "E09999999"
    rows.append(rows[1] | {"source_title": "Another title"})

    with pytest.raises(NetworkFileInvalid) as refused:
        read_network_file(write(tmp_path, rows), CODES)

    assert [re.sub(r"^.*?, line", "line", e) for e in refused.value.errors] == [
        "line 2, field 'source_url': is required",
        "line 4, field 'gss_code': no council with GSS code 'E09999999' in the register",
        "line 6, field 'member_name': the same spell as line 3 (same member, type and start)",
        "line 6, field 'source_url': describes the page differently from line 3 (title, "
        "publisher and published date must agree)",
    ]


def test_a_file_with_other_columns_is_refused_at_its_header(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("member_name,tier,source_url\nLambeth,full,https://example.org\n")

    with pytest.raises(NetworkFileInvalid, match=r"line 1: the columns must be member_name,"):
        read_network_file(path, CODES)


def councils() -> None:
    for code, name in [
        ("E09000022", "Lambeth"),
        ("E07000082", "Stroud"),
        ("E09000017", "Hillingdon"),
    ]:
        build_authority(gss_code=code, name=name)


@pytest.mark.django_db
def test_importing_records_each_spell_and_one_published_source_per_url(tmp_path):
    councils()
    summary = import_network_file(write(tmp_path, good_rows()), TODAY)

    assert (summary.added, summary.unchanged, summary.updated, summary.sources_added) == (
        4,
        0,
        0,
        2,
    )
    report = Source.objects.get(url=REPORT["source_url"])
    assert (report.kind, report.state, report.accessed_on, report.title, report.publisher) == (
        "web-page",
        "published",
        TODAY,
        "Annual report 2019",
        "The network",
    )
    group = NetworkMembership.objects.get(member_type="opposition-group")
    assert (group.authority.gss_code, group.tier, group.source) == (
        "E09000017",
        "affiliate",
        report,
    )
    assert NetworkMembership.objects.get(member_type="organisation").authority is None
    lambeth = NetworkMembership.objects.get(member_name="Lambeth")
    assert (lambeth.joined_basis, lambeth.notes) == ("first-listed", "Named at the launch.")


@pytest.mark.django_db
def test_importing_again_changes_nothing_and_a_corrected_file_updates_in_place(tmp_path):
    councils()
    path = write(tmp_path, good_rows())
    import_network_file(path, TODAY)
    history = NetworkMembership.history.count()

    again = import_network_file(path, TODAY + datetime.timedelta(days=30))

    assert (again.added, again.unchanged, again.updated, again.sources_added) == (0, 4, 0, 0)
    assert NetworkMembership.history.count() == history
    assert Source.objects.get(url=REPORT["source_url"]).accessed_on == TODAY
    rows = good_rows()
    rows[1]["tier"] = "full"
    corrected = import_network_file(write(tmp_path, rows), TODAY)
    assert (corrected.added, corrected.unchanged, corrected.updated) == (0, 3, 1)
    assert NetworkMembership.objects.get(member_name="Stroud District Council").tier == "full"


@pytest.mark.django_db
def test_a_published_source_already_in_the_register_is_cited_as_it_stands(tmp_path):
    councils()
    existing = build_source(title="Our own record of it", url=REPORT["source_url"])

    summary = import_network_file(write(tmp_path, good_rows()), TODAY)

    assert summary.sources_added == 1
    assert NetworkMembership.objects.get(member_type="organisation").source == existing
    assert Source.objects.get(pk=existing.pk).title == "Our own record of it"


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_listing_every_error_and_stores_nothing(tmp_path):
    councils()
    rows = good_rows()
    rows[0]["source_url"] = ""
    rows[3]["tier"] = "gold"
    path = write(tmp_path, rows)

    with pytest.raises(CommandError) as refused:
        call_command("import_network", str(path))

    message = str(refused.value)
    assert message.startswith("Nothing was imported: 2 errors.")
    assert f"{path}, line 2, field 'source_url': is required" in message
    assert f"{path}, line 5, field 'tier': 'gold' is not one of" in message
    assert not NetworkMembership.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_the_command_prints_what_it_added_then_that_nothing_changed(tmp_path, capsys):
    councils()
    path = write(tmp_path, good_rows())

    call_command("import_network", str(path))
    call_command("import_network", str(path))

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Memberships: 4 added, 0 unchanged, 0 updated; 2 sources added.",
        "Memberships: 0 added, 4 unchanged, 0 updated; 0 sources added.",
    ]


def test_the_documented_columns_are_the_files_columns():
    text = (REPO / "docs" / "network-membership.md").read_text()
    header = re.search(r"^```\n(member_name,[^\n]*)\n```$", text, re.MULTILINE)
    assert header is not None, "docs/network-membership.md shows the header line in a block"
    assert header[1].split(",") == COLUMNS
    documented = re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE)
    assert documented == COLUMNS
