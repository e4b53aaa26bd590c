"""Pure parsing of local-authority files: rows in, plain values out. No database access.

Two layouts of authority file are understood, told apart by their header:

* mySociety's UK local-authority register (`uk_local_authorities.csv`): one row per
  authority, past or present, keyed by a three-letter ``local-authority-code``;
* an ONS code list with a code column and a name column whose names end in ``CD`` and ``NM``
  after any geography-and-year prefix (``LAD23CD,LAD23NM``, ``CTY21CD,CTY21NM``,
  ``LAD24CD,LAD24NM,LAD24NMW`` ...).

And one layout of names file: ``la-name,local-authority-code`` (``lookup_name_to_registry.csv``).
"""

import csv
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mutualwatch.councils.exceptions import AuthorityFileError
from mutualwatch.register.models import AuthorityKind, Nation
from mutualwatch.untrusted_text import NUL, without_bidi_controls

GSS_PATTERN = re.compile(r"^[A-Z][0-9]{8}$")
REGISTRY_CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9-]{1,9}$")
ONS_CODE_COLUMN = re.compile(r"^([A-Z]+)(\d{2,4})?CD$")

# The register's `local-authority-type` codes. Districts of a two-tier county ("NMD") are
# districts; the City of London ("CC") and the Greater London Authority ("SRA") have no
# kind of their own in our vocabulary, so they are "other".
KIND_BY_REGISTER_TYPE: dict[str, AuthorityKind] = {
    "CTY": AuthorityKind.COUNTY,
    "NMD": AuthorityKind.DISTRICT,
    "UA": AuthorityKind.UNITARY,
    "MD": AuthorityKind.METROPOLITAN_BOROUGH,
    "LBO": AuthorityKind.LONDON_BOROUGH,
    "WPA": AuthorityKind.WELSH_UNITARY,
    "SCO": AuthorityKind.SCOTTISH_UNITARY,
    "NID": AuthorityKind.NI_DISTRICT,
    "COMB": AuthorityKind.COMBINED_AUTHORITY,
    "CC": AuthorityKind.OTHER,
    "SRA": AuthorityKind.OTHER,
}

NATION_BY_REGISTER_NAME: dict[str, Nation] = {
    "England": Nation.ENGLAND,
    "Wales": Nation.WALES,
    "Scotland": Nation.SCOTLAND,
    "Northern Ireland": Nation.NORTHERN_IRELAND,
}

# The first letter of a GSS code says the nation.
NATION_BY_GSS_LETTER: dict[str, Nation] = {
    "E": Nation.ENGLAND,
    "W": Nation.WALES,
    "S": Nation.SCOTLAND,
    "N": Nation.NORTHERN_IRELAND,
}

# The entity part of a GSS code (its first three characters) says the tier, for ONS lists,
# which carry no type column. E06 unitary, E07 non-metropolitan district, E08 metropolitan
# district, E09 London borough, E10 county, E47 combined authority, W06 Welsh unitary,
# S12 Scottish council area, N09 Northern Ireland district.
KIND_BY_GSS_ENTITY: dict[str, AuthorityKind] = {
    "E06": AuthorityKind.UNITARY,
    "E07": AuthorityKind.DISTRICT,
    "E08": AuthorityKind.METROPOLITAN_BOROUGH,
    "E09": AuthorityKind.LONDON_BOROUGH,
    "E10": AuthorityKind.COUNTY,
    "E47": AuthorityKind.COMBINED_AUTHORITY,
    "W06": AuthorityKind.WELSH_UNITARY,
    "S12": AuthorityKind.SCOTTISH_UNITARY,
    "N09": AuthorityKind.NI_DISTRICT,
}
# The City of London (E09000001) is a sui generis corporation, not a London borough.
CITY_OF_LONDON_GSS = "E09000001"

REGISTER_COLUMNS = (
    "local-authority-code",
    "official-name",
    "gss-code",
    "start-date",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
)
NAMES_COLUMNS = ("la-name", "local-authority-code")


@dataclass(frozen=True)
class AuthorityRecord:
    """One authority as a file describes it. ``replaced_by`` holds registry codes (the
    register can name two successors when a county was split); ONS lists leave it empty and
    leave ``registry_code``, ``region`` and the dates as ``None`` meaning "not stated".
    """

    row: int
    key: str
    name: str
    kind: str
    nation: str
    registry_code: str | None
    region: str | None
    start_date: date | None
    end_date: date | None
    replaced_by: tuple[str, ...]
    has_gss_code: bool
    carries_history: bool


@dataclass(frozen=True)
class NameRecord:
    row: int
    name: str
    registry_code: str


def detect_layout(header: list[str]) -> str:
    """``"register"`` or ``"ons"``; raises ValueError naming what was expected."""
    if all(column in header for column in REGISTER_COLUMNS):
        return "register"
    if ons_columns(header) is not None:
        return "ons"
    raise ValueError(
        "unknown layout: expected the local-authority register's columns "
        f"({', '.join(REGISTER_COLUMNS)}) or an ONS code list (e.g. LAD23CD,LAD23NM)"
    )


def ons_columns(header: list[str]) -> tuple[str, str] | None:
    """The (code, name) columns of an ONS code list, e.g. ("LAD23CD", "LAD23NM")."""
    for column in header:
        match = ONS_CODE_COLUMN.match(column.strip().upper())
        if match is None:
            continue
        name_column = column.strip()[:-2] + "NM"
        for candidate in header:
            if candidate.strip().upper() == name_column.upper():
                return column, candidate
    return None


def parse_date(value: str, path: str, row: int, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AuthorityFileError(
            path, f"{value!r} is not a date (YYYY-MM-DD)", row, field
        ) from None


def parse_register_row(values: dict[str, str], path: str, row: int) -> AuthorityRecord:
    """One row of mySociety's register. Abolished authorities keep their end date and the
    registry codes of their successors.
    """
    code = values["local-authority-code"].strip()
    if not REGISTRY_CODE_PATTERN.match(code):
        raise AuthorityFileError(
            path, f"{code!r} is not a registry code", row, "local-authority-code"
        )
    name = " ".join(values["official-name"].split())
    if not name:
        raise AuthorityFileError(path, "an authority needs a name", row, "official-name")
    gss = values["gss-code"].strip()
    if gss and not GSS_PATTERN.match(gss):
        raise AuthorityFileError(
            path, f"{gss!r} is not a GSS code (a capital letter and eight digits)", row, "gss-code"
        )
    register_type = values["local-authority-type"].strip()
    kind = KIND_BY_REGISTER_TYPE.get(register_type)
    if kind is None:
        raise AuthorityFileError(
            path,
            f"unknown authority type {register_type!r} (known: {', '.join(KIND_BY_REGISTER_TYPE)})",
            row,
            "local-authority-type",
        )
    nation = NATION_BY_REGISTER_NAME.get(values["nation"].strip())
    if nation is None:
        raise AuthorityFileError(
            path,
            f"unknown nation {values['nation']!r} (known: {', '.join(NATION_BY_REGISTER_NAME)})",
            row,
            "nation",
        )
    start = parse_date(values["start-date"], path, row, "start-date")
    end = parse_date(values["end-date"], path, row, "end-date")
    if start and end and end < start:
        raise AuthorityFileError(path, f"ends ({end}) before it starts ({start})", row, "end-date")
    successors = tuple(part.strip() for part in values["replaced-by"].split(",") if part.strip())
    for successor in successors:
        if not REGISTRY_CODE_PATTERN.match(successor):
            raise AuthorityFileError(
                path, f"{successor!r} is not a registry code", row, "replaced-by"
            )
    if successors and end is None:
        raise AuthorityFileError(path, "a replaced authority needs an end date", row, "end-date")
    return AuthorityRecord(
        row=row,
        # The 25 Northern Ireland districts abolished in 2015 predate GSS codes; they are
        # keyed by their registry code (e.g. "NIR-A") until Authority.gss_code may be empty.
        key=gss or code,
        name=name,
        kind=kind,
        nation=nation,
        registry_code=code,
        region=values["region"].strip(),
        start_date=start,
        end_date=end,
        replaced_by=successors,
        has_gss_code=bool(gss),
        carries_history=True,
    )


def parse_ons_row(
    values: dict[str, str], code_column: str, name_column: str, path: str, row: int
) -> AuthorityRecord:
    """One row of an ONS code list: a GSS code and a name. Kind and nation follow the code."""
    gss = values[code_column].strip()
    if not GSS_PATTERN.match(gss):
        raise AuthorityFileError(
            path, f"{gss!r} is not a GSS code (a capital letter and eight digits)", row, code_column
        )
    name = " ".join(values[name_column].split())
    if not name:
        raise AuthorityFileError(path, "an authority needs a name", row, name_column)
    nation = NATION_BY_GSS_LETTER.get(gss[0])
    if nation is None:
        raise AuthorityFileError(path, f"{gss!r} is not a UK nation's code", row, code_column)
    if gss == CITY_OF_LONDON_GSS:
        kind = AuthorityKind.OTHER
    else:
        kind = KIND_BY_GSS_ENTITY.get(gss[:3], AuthorityKind.OTHER)
    return AuthorityRecord(
        row=row,
        key=gss,
        name=name,
        kind=kind,
        nation=nation,
        registry_code=None,
        region=None,
        start_date=None,
        end_date=None,
        replaced_by=(),
        has_gss_code=True,
        carries_history=False,
    )


def read_csv_rows(path: Path) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """(row number, header, values) for each data row; the header is row 1."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in reader.fieldnames or []]
            if not header:
                raise AuthorityFileError(str(path), "the file is empty: no header row")
            for values in reader:
                if None in values:
                    raise AuthorityFileError(
                        str(path), "the row has more cells than the header", reader.line_num
                    )
                for key, value in values.items():
                    if NUL in (value or "") or NUL in key:
                        raise AuthorityFileError(
                            str(path), "holds a NUL character (U+0000)", reader.line_num, key
                        )
                yield (
                    reader.line_num,
                    header,
                    {
                        key.strip(): without_bidi_controls(value or "")
                        for key, value in values.items()
                    },
                )
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise AuthorityFileError(str(path), f"cannot read the file: {error}") from error


def read_authority_file(path: Path) -> list[AuthorityRecord]:
    """Every authority in a register CSV or an ONS code list, checked row by row.

    Raises AuthorityFileError on the first bad row, or when a key or registry code repeats.
    """
    records: list[AuthorityRecord] = []
    layout: str | None = None
    columns: tuple[str, str] | None = None
    for row, header, values in read_csv_rows(path):
        if layout is None:
            try:
                layout = detect_layout(header)
            except ValueError as error:
                raise AuthorityFileError(str(path), str(error), 1) from None
            columns = ons_columns(header)
        if layout == "register":
            records.append(parse_register_row(values, str(path), row))
        else:
            assert columns is not None
            records.append(parse_ons_row(values, *columns, str(path), row))
    if layout is None:
        # A header with no rows still has to be a known layout.
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
        try:
            detect_layout([column.strip() for column in header])
        except ValueError as error:
            raise AuthorityFileError(str(path), str(error), 1) from None
    check_unique(records, str(path))
    return records


def check_unique(records: Iterable[AuthorityRecord], path: str) -> None:
    seen_keys: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for record in records:
        if record.key in seen_keys:
            raise AuthorityFileError(
                path,
                f"{record.key!r} already appears on row {seen_keys[record.key]}",
                record.row,
                "gss-code",
            )
        seen_keys[record.key] = record.row
        if record.registry_code:
            if record.registry_code in seen_codes:
                raise AuthorityFileError(
                    path,
                    f"{record.registry_code!r} already appears on row "
                    f"{seen_codes[record.registry_code]}",
                    record.row,
                    "local-authority-code",
                )
            seen_codes[record.registry_code] = record.row


def read_names_file(path: Path) -> list[NameRecord]:
    """Every (spelling, registry code) pair of a ``la-name,local-authority-code`` file."""
    records: list[NameRecord] = []
    for row, header, values in read_csv_rows(path):
        if not all(column in header for column in NAMES_COLUMNS):
            raise AuthorityFileError(
                str(path), f"unknown layout: expected the columns {', '.join(NAMES_COLUMNS)}", 1
            )
        name = " ".join(values["la-name"].split())
        code = values["local-authority-code"].strip()
        if not name:
            raise AuthorityFileError(str(path), "the name is empty", row, "la-name")
        if not REGISTRY_CODE_PATTERN.match(code):
            raise AuthorityFileError(
                str(path), f"{code!r} is not a registry code", row, "local-authority-code"
            )
        if not normalise_authority_name(name):
            raise AuthorityFileError(
                str(path), f"{name!r} has nothing left once normalised", row, "la-name"
            )
        records.append(NameRecord(row=row, name=name, registry_code=code))
    return records


# Words that say what tier or style of council a name refers to, not which place. They are
# removed from the start and end of a name, repeatedly, longest first.
LEADING_STYLE_WORDS = (
    "the",
    "royal borough of",
    "london borough of",
    "metropolitan borough of",
    "county borough of",
    "city and county of",
    "borough of",
    "city of",
    "county of",
    "district of",
)
TRAILING_STYLE_WORDS = (
    "council",
    "metropolitan borough",
    "metropolitan district",
    "county borough",
    "city and district",
    "borough",
    "district",
    "city",
    "county",
    "mbc",
    "bc",
    "dc",
    "cc",
    "mdc",
    "ua",
    "city of",
    "county of",
)
NON_WORD = re.compile(r"[^a-z0-9]+")
#: Every word of a style phrase: none of them says which council is meant.
STYLE_WORDS = frozenset(
    word for phrase in (*LEADING_STYLE_WORDS, *TRAILING_STYLE_WORDS) for word in phrase.split()
)


def spelling_key(name: str) -> str:
    """A name as written, less case, HTML escapes, accents, punctuation and spacing, with
    "&" read as "and": the key of an exact match. "Telford &amp; Wrekin Council." and
    "TELFORD AND WREKIN COUNCIL" share it; "Telford and Wrekin" does not.
    """
    text = html.unescape(html.unescape(name))
    # Upper-casing before folding makes a dotless i and "I", sharp s and "SS" the same.
    text = unaccented(unaccented(text).upper()).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(NON_WORD.sub(" ", text).split())


def unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_authority_name(name: str) -> str:
    """The place a council's name refers to, with its style stripped: the matching key.

    "The London Borough of Hillingdon", "Hillingdon Council" and "HILLINGDON." all give
    "hillingdon"; "Telford &amp; Wrekin Council" gives "telford and wrekin". Case, HTML
    escapes, accents, punctuation, "&" for "and", a leading "The", "City of", "Borough of"
    and a trailing "Council", "Borough", "District", "City", "County", "MBC" are ignored.
    The key is idempotent: normalising a key gives the same key. A name made only of style
    words ("The Council") keeps them rather than becoming empty.
    """
    words = spelling_key(name).split()
    if not words:
        return ""
    stripped = strip_style_words(words)
    return " ".join(stripped or words)


def strip_style_words(words: list[str]) -> list[str]:
    leading = [phrase.split() for phrase in LEADING_STYLE_WORDS]
    trailing = [phrase.split() for phrase in TRAILING_STYLE_WORDS]
    changed = True
    while changed and words:
        changed = False
        for phrase in leading:
            if words[: len(phrase)] == phrase:
                words = words[len(phrase) :]
                changed = True
                break
        for phrase in trailing:
            if len(words) >= len(phrase) and words[-len(phrase) :] == phrase:
                words = words[: -len(phrase)]
                changed = True
                break
    return words


def name_keys(name: str) -> set[str]:
    """The keys a council is found by under one of its names: the name as written
    (``spelling_key``) and the place it names (``normalise_authority_name``)."""
    return {key for key in (spelling_key(name), normalise_authority_name(name)) if key}


def without_style_words(words: list[str]) -> list[str]:
    """The words of a search for a council less those that only give a council's style
    ("council", "borough", "district", "city", "county", "of", "the"): "Dralby Borough
    Council" still finds Dralby District Council. All of them when nothing else is left."""
    return [word for word in words if word not in STYLE_WORDS] or words
