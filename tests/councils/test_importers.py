"""Pure parsing and the name key, without a database."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.councils.exceptions import AuthorityFileError
from mutualwatch.councils.importers import (
    detect_layout,
    normalise_authority_name,
    ons_columns,
    read_authority_file,
    read_names_file,
    spelling_key,
)
from mutualwatch.register.models import AuthorityKind, Nation

names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]), max_size=60
)
STYLE_PREFIXES = [
    "",
    "The ",
    "London Borough of ",
    "Borough of ",
    "City of ",
    "the royal borough of ",
]
STYLE_SUFFIXES = [
    "",
    " Council",
    " Borough Council",
    " District Council",
    " City Council",
    " County Council",
    " Metropolitan Borough Council",
    " MBC",
    " council.",
]
places = st.from_regex(r"[A-Z][a-z]{2,10}( (and|upon) [A-Z][a-z]{2,10})?", fullmatch=True)


@given(names)
def test_normalising_is_idempotent(name):
    once = normalise_authority_name(name)
    assert normalise_authority_name(once) == once


@given(names)
def test_normalising_ignores_case(name):
    assert normalise_authority_name(name.upper()) == normalise_authority_name(name.lower())


@given(names)
def test_the_key_is_plain_lower_case_words(name):
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", normalise_authority_name(name))


@given(places, st.sampled_from(STYLE_PREFIXES), st.sampled_from(STYLE_SUFFIXES))
def test_style_words_do_not_change_the_place(place, prefix, suffix):
    assert normalise_authority_name(prefix + place + suffix) == normalise_authority_name(place)


@given(places, st.sampled_from(["", ".", ",", " .", "!", ";"]))
def test_trailing_punctuation_is_ignored(place, punctuation):
    assert normalise_authority_name(place + punctuation) == normalise_authority_name(place)


@given(places, places)
def test_ampersand_reads_as_and(first, second):
    assert normalise_authority_name(f"{first} & {second}") == normalise_authority_name(
        f"{first} and {second}"
    )


@given(names)
def test_spelling_key_is_idempotent(name):
    assert spelling_key(spelling_key(name)) == spelling_key(name)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Telford &amp; Wrekin Council", "telford and wrekin"),
        (".East Riding Of Yorkshire Council", "east riding of yorkshire"),
        ("Bradford Metropolitan District Council", "bradford"),
        ("Caerphilly County Borough Council", "caerphilly"),
        ("The City of Edinburgh Council", "edinburgh"),
        ("Bristol, City of", "bristol"),
        ("Doncaster MBC", "doncaster"),
        ("London Borough of Richmond upon Thames", "richmond upon thames"),
        ("Royal Borough of Kingston upon Thames", "kingston upon thames"),
        ("King's Lynn and West Norfolk", "kings lynn and west norfolk"),
        ("Ynys Môn", "ynys mon"),
        ("The Council", "the council"),
        ("", ""),
    ],
)
def test_known_names(name, key):
    assert normalise_authority_name(name) == key


def test_the_exact_spelling_keeps_style_words():
    assert spelling_key("Somerset County Council.") == "somerset county council"
    assert spelling_key("Somerset County Council") != spelling_key("Somerset Council")


def test_layouts_are_told_apart_by_header():
    assert detect_layout(["LAD23CD", "LAD23NM", "LAD23NMW", "ObjectId"]) == "ons"
    assert ons_columns(["FID", "CTYUA21CD", "CTYUA21NM"]) == ("CTYUA21CD", "CTYUA21NM")
    assert ons_columns(["LADCD", "LADNM"]) == ("LADCD", "LADNM")
    with pytest.raises(ValueError, match="unknown layout"):
        detect_layout(["code", "name"])


def test_an_ons_list_takes_kind_and_nation_from_the_code(tmp_path: Path):
    path = tmp_path / "lad.csv"
    path.write_text(
        "LAD24CD,LAD24NM,LAD24NMW\n"
        "E09000001,City of London,\n"
        "E08000025,Birmingham,\n"
        "W06000015,Cardiff,Caerdydd\n"
        "N09000003,Belfast,\n",
        encoding="utf-8",
    )
    records = read_authority_file(path)
    assert [(r.key, r.kind, r.nation) for r in records] == [
        ("E09000001", AuthorityKind.OTHER, Nation.ENGLAND),
        ("E08000025", AuthorityKind.METROPOLITAN_BOROUGH, Nation.ENGLAND),
        ("W06000015", AuthorityKind.WELSH_UNITARY, Nation.WALES),
        ("N09000003", AuthorityKind.NI_DISTRICT, Nation.NORTHERN_IRELAND),
    ]
    assert all(r.region is None and r.registry_code is None for r in records)


def test_a_bad_row_names_file_row_field_and_reason(tmp_path: Path):
    path = tmp_path / "lad.csv"
    path.write_text("LAD23CD,LAD23NM\nE08000025,Birmingham\nE0800002,Leeds\n", encoding="utf-8")
    with pytest.raises(AuthorityFileError) as caught:
        read_authority_file(path)
    assert caught.value.row == 3
    assert caught.value.field == "LAD23CD"
    assert str(path) in str(caught.value)
    assert "not a GSS code" in str(caught.value)


def test_an_unknown_layout_is_refused(tmp_path: Path):
    path = tmp_path / "other.csv"
    path.write_text("code,name\nE08000025,Birmingham\n", encoding="utf-8")
    with pytest.raises(AuthorityFileError, match="unknown layout"):
        read_authority_file(path)


def test_a_repeated_code_is_refused(tmp_path: Path):
    path = tmp_path / "lad.csv"
    path.write_text("LAD23CD,LAD23NM\nE08000025,Birmingham\nE08000025,Brum\n", encoding="utf-8")
    with pytest.raises(AuthorityFileError, match="already appears on row 2"):
        read_authority_file(path)


def test_every_register_row_parses(register_csv, names_csv):
    records = read_authority_file(register_csv)
    assert len(records) == 470
    assert {r.kind for r in records} <= set(AuthorityKind.values)
    assert len(read_names_file(names_csv)) == 1750


def test_a_nul_in_an_authority_file_names_the_row_and_column(tmp_path: Path):
    path = tmp_path / "lad.csv"
    path.write_text(
        "LAD24CD,LAD24NM,LAD24NMW\nE09000001,City of London,\nE08000025,Birm\x00ingham,\n"
    )
    with pytest.raises(AuthorityFileError) as caught:
        read_authority_file(path)
    assert str(path) in str(caught.value)
    assert "row 3" in str(caught.value)
    assert "LAD24NM" in str(caught.value)
    assert "NUL" in str(caught.value)
