"""Importing the real UK local-authority register, and ONS code lists."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutualwatch.councils import queries, services
from mutualwatch.councils.exceptions import AuthorityFileError
from mutualwatch.councils.models import AuthorityName, Succession
from mutualwatch.register.models import Authority, AuthorityKind, Nation

pytestmark = pytest.mark.django_db


def register_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_importing_the_register_twice_leaves_the_same_authorities(register_csv):
    first = services.import_authorities(register_csv)
    assert first.created == 470
    history = Authority.history.count()
    snapshot = list(Authority.objects.order_by("gss_code").values())
    names = AuthorityName.objects.count()

    second = services.import_authorities(register_csv)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 470)
    assert Authority.objects.count() == 470
    assert list(Authority.objects.order_by("gss_code").values()) == snapshot
    assert Authority.history.count() == history, "a re-import must not write history"
    assert AuthorityName.objects.count() == names


def test_every_current_council_is_present_with_its_gss_code(register_csv):
    services.import_authorities(register_csv)
    current = [row for row in register_rows(register_csv) if row["current-authority"] == "True"]
    assert len(current) == 397
    by_nation = {row["nation"] for row in current}
    assert by_nation == {"England", "Wales", "Scotland", "Northern Ireland"}
    for row in current:
        authority = Authority.objects.get(gss_code=row["gss-code"])
        assert authority.name == " ".join(row["official-name"].split())
        assert authority.registry_code == row["local-authority-code"]
        assert authority.end_date is None
        assert authority.replaced_by is None


def test_kinds_and_nations_follow_the_register(register_csv):
    services.import_authorities(register_csv)
    assert Authority.objects.filter(kind=AuthorityKind.LONDON_BOROUGH).count() == 32
    assert Authority.objects.get(gss_code="E09000001").kind == AuthorityKind.OTHER
    assert Authority.objects.get(registry_code="GLA").kind == AuthorityKind.OTHER
    assert Authority.objects.filter(nation=Nation.WALES).count() == 22
    assert Authority.objects.filter(nation=Nation.NORTHERN_IRELAND).count() == 36
    hull = Authority.objects.get(registry_code="KHL")
    assert (hull.kind, hull.region) == (AuthorityKind.UNITARY, "Yorkshire and The Humber")


def test_a_reorganised_council_walks_to_its_successor(register_csv):
    services.import_authorities(register_csv)
    rows = {row["local-authority-code"]: row for row in register_rows(register_csv)}
    replaced = [row for row in rows.values() if row["replaced-by"]]
    assert replaced
    for row in replaced:
        abolished = Authority.objects.get(registry_code=row["local-authority-code"])
        assert abolished.end_date.isoformat() == row["end-date"]
        expected = row["replaced-by"].split(",")
        assert abolished.replaced_by.registry_code == expected[0]
        assert sorted(a.registry_code for a in queries.successors(abolished)) == sorted(expected)
        for successor in queries.successors(abolished):
            assert abolished in queries.predecessors(successor)
        for current in queries.current_successors(abolished):
            assert rows[current.registry_code]["current-authority"] == "True"

    aylesbury = Authority.objects.get(registry_code="AYL")
    buckinghamshire = aylesbury.replaced_by
    assert buckinghamshire.name == "Buckinghamshire Council"
    assert buckinghamshire.end_date is None
    assert queries.current_successors(aylesbury) == [buckinghamshire]
    assert {a.registry_code for a in queries.all_predecessors(buckinghamshire)} == {
        "AYL",
        "BKM",
        "CHN",
        "SBU",
        "WYO",
    }


def test_a_split_county_keeps_both_successors(register_csv):
    services.import_authorities(register_csv)
    cumbria = Authority.objects.get(registry_code="CMA")
    assert {a.registry_code for a in queries.successors(cumbria)} == {"CBD", "WAF"}
    assert Succession.objects.filter(predecessor=cumbria).count() == 2


def test_old_northern_ireland_districts_without_a_gss_code_are_kept(register_csv):
    services.import_authorities(register_csv)
    down = Authority.objects.get(registry_code="NIR-R")
    assert down.gss_code == "NIR-R"
    assert down.name == "Down District Council"
    assert str(down.end_date) == "2015-03-31"


def test_an_ons_list_updates_no_register_fields(register_csv, tmp_path):
    services.import_authorities(register_csv)
    history = Authority.history.count()
    path = tmp_path / "lad23.csv"
    path.write_text('LAD23CD,LAD23NM\nE06000023,"Bristol, City of"\n', encoding="utf-8")
    summary = services.import_authorities(path)
    assert (summary.created, summary.updated) == (0, 0)
    assert Authority.objects.get(gss_code="E06000023").name == "Bristol City Council"
    assert Authority.history.count() == history
    assert AuthorityName.objects.get(spelling="bristol city of").authority.gss_code == "E06000023"


def test_an_ons_list_alone_creates_authorities(tmp_path):
    path = tmp_path / "lad23.csv"
    path.write_text("LAD23CD,LAD23NM\nE07000223,Adur\nS12000033,Aberdeen City\n", encoding="utf-8")
    services.import_authorities(path)
    services.import_authorities(path)
    adur = Authority.objects.get(gss_code="E07000223")
    assert (adur.name, adur.kind, adur.nation) == ("Adur", AuthorityKind.DISTRICT, Nation.ENGLAND)
    assert Authority.objects.count() == 2
    assert Authority.history.count() == 2


def test_a_bad_row_writes_nothing(register_csv, tmp_path):
    lines = register_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "register.csv"
    bad.write_text("".join(lines[:300]) + lines[300].replace(",England,", ",Atlantis,"))
    if ",Atlantis," not in bad.read_text():
        bad.write_text("".join(lines[:300]) + lines[300].replace(",Wales,", ",Atlantis,"))
    with pytest.raises(AuthorityFileError) as caught:
        services.import_authorities(bad)
    assert (caught.value.row, caught.value.field) == (301, "nation")
    assert "unknown nation 'Atlantis'" in str(caught.value)
    assert Authority.objects.count() == 0


def test_an_unknown_successor_rolls_back_the_whole_file(register_csv, tmp_path):
    header, *rows = register_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [row.replace(",2020-03-31,BUC,", ",2020-03-31,ZZZ,") for row in rows]
    bad = tmp_path / "register.csv"
    bad.write_text(header + "".join(rows))
    with pytest.raises(AuthorityFileError, match="no authority has the registry code 'ZZZ'"):
        services.import_authorities(bad)
    assert Authority.objects.count() == 0
    assert AuthorityName.objects.count() == 0


def test_the_command_reports_and_fails_cleanly(register_csv, tmp_path, capsys):
    call_command("import_authorities", str(register_csv))
    assert "470 created" in capsys.readouterr().out
    missing = tmp_path / "missing.csv"
    with pytest.raises(CommandError, match=r"missing\.csv: cannot read the file"):
        call_command("import_authorities", str(missing))
