"""The protected workforce tables as the public pages and the branch pack show them.

Pure: one publication's number, date, respondents, rules and cells in (never its private
``basis``); tables, chart data and sentences out. What each table holds is read from the
specifications in its rules, never assumed: a page chooses only which tables to draw.

A withheld cell is never shown as a number, nor as a blank that could be read as nought: it
says why it was withheld, in the words of ``withheld_words``. A chart draws only what was
published; where a bar's total is published but some of its parts are not, the parts withheld
are drawn together as one grey "Withheld" segment (their sum follows from the total and the
parts published, so drawing it reveals nothing more).
"""

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

from mutualwatch.dates import day
from mutualwatch.workforce.instrument import TERMS, YES_NO, Period

TOTAL = "Total"
PERIOD = "period"
WITHHELD = "Withheld"
#: How the tables' attributes are named as headings; any other is named by the instrument's
#: own label for it, or by its words.
ATTRIBUTE_TITLES = {
    PERIOD: "When",
    "provider_kind": "Kind of provider",
    "service_area": "Service",
    "authority": "Council",
    "arrangement": "Arrangement",
    "pay_ratio": "Hourly pay as a share of the council's rate for the same grade",
    "hours": "Contracted hours a week",
    "headcount": "Headcount",
    "two_tier": "New starters on different terms (two-tier workforce)",
}
#: How a measure's mean is written; any other, to one decimal place.
MEASURE_FORMATS = {"pay_ratio": "{}%"}
PERIODS = [str(label) for label in Period.labels]
#: The colours of a share chart's categories, in the categories' order (best to worst for the
#: instrument's own choices), and of the withheld part.
CATEGORY_COLOURS = ["#1b7f5f", "#7fb35a", "#d9a400", "#d9822b", "#b2182b", "#6a1b9a", "#455a64"]
WITHHELD_COLOUR = "#9e9e9e"
PERIOD_COLOURS = dict(zip(PERIODS, ("#1f4e79", "#d9822b"), strict=True))
#: The tables the public page draws, by section (id, heading, tables); every other table the
#: publication holds is shown as a table only.
CHARTED = (
    ("pensions", "Pensions", ("pension-national", "pension-by-provider-kind")),
    ("pay", "Pay against the council's rate", ("pay-by-provider-kind",)),
    ("hours", "Hours", ("hours-by-provider-kind",)),
    (
        "unions",
        "Union recognition and a two-tier workforce",
        ("recognition-by-provider-kind", "two-tier-by-provider-kind"),
    ),
)
#: A measure's line of comparison and what it is: pay as a share of the council's rate is
#: compared with 100%.
REFERENCE_LINES = {"pay_ratio": (100.0, "The council's rate for the same grade (100%)")}
#: The table of each council's own rows, shown on its page and in its branch pack.
COUNCIL_TABLE = "pension-by-authority"
#: What the branch pack sets beside the council's rows: the national table, and the tables by
#: kind of provider (only the kinds its services went to).
NATIONAL_TABLE = "pension-national"
KIND_TABLES = ("pension-by-provider-kind", "pay-by-provider-kind")


def attribute_title(attribute: str) -> str:
    if attribute in ATTRIBUTE_TITLES:
        return ATTRIBUTE_TITLES[attribute]
    if attribute in TERMS:
        return TERMS[attribute][0]
    return attribute.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Spec:
    """One published table: counts of respondents by category (``column`` set) or the mean of
    a measure (``measure`` set), for each combination of its ``rows`` attributes."""

    key: str
    title: str
    rows: tuple[str, ...]
    column: str | None
    measure: str | None

    @property
    def counts(self) -> bool:
        return self.column is not None

    @property
    def before_and_after(self) -> bool:
        return PERIOD in self.rows


@dataclass(frozen=True)
class Release:
    """One publication of the tables, as public as its cells."""

    number: int
    published_at: datetime.datetime
    respondents: int
    min_respondents: int
    dominance: float
    specs: tuple[Spec, ...]
    cells: tuple[Mapping[str, Any], ...]

    @property
    def name(self) -> str:
        """How every figure names its source: "Workforce tables, release 3, published
        5 December 2026, from 1,234 respondents"."""
        return (
            f"Workforce tables, release {self.number}, published {day(self.published_at)}, "
            f"from {self.respondents:,} respondent{'s' if self.respondents != 1 else ''}"
        )

    def spec(self, key: str) -> Spec | None:
        return next((spec for spec in self.specs if spec.key == key), None)

    def cells_of(self, key: str) -> list[Mapping[str, Any]]:
        return [cell for cell in self.cells if cell.get("table") == key]


def release_from(
    number: int,
    published_at: datetime.datetime,
    respondents: int,
    rules: Mapping[str, Any],
    cells: Sequence[Mapping[str, Any]],
) -> Release:
    specs = tuple(
        Spec(
            key=str(spec["key"]),
            title=str(spec.get("title") or spec["key"]),
            rows=tuple(str(attribute) for attribute in spec.get("rows", ())),
            column=spec.get("column"),
            measure=spec.get("measure"),
        )
        for spec in rules.get("specs", ())
    )
    return Release(
        number=number,
        published_at=published_at,
        respondents=respondents,
        min_respondents=int(rules.get("min_respondents", 10)),
        dominance=float(rules.get("dominance", 0.9)),
        specs=specs,
        cells=tuple(cells),
    )


def is_withheld(cell: Mapping[str, Any]) -> bool:
    return bool(cell.get("suppressed"))


def withheld_words(cell: Mapping[str, Any], release: Release) -> str:
    """Why a cell is not shown, in plain words; nothing for a published cell."""
    reason = cell.get("suppressed") or ""
    if not reason:
        return ""
    if reason == "primary":
        return f"fewer than {release.min_respondents}"
    if reason == "dominance":
        return f"withheld: two answers make up over {release.dominance:.0%} of it"
    return "withheld to protect another cell"


def csv_withheld_words(cell: Mapping[str, Any], release: Release) -> str:
    """The CSV's "suppressed" column: as ``withheld_words``, saying what is counted."""
    if cell.get("suppressed") == "primary":
        return f"fewer than {release.min_respondents} respondents"
    return withheld_words(cell, release)


def measure_text(measure: str | None, value: float) -> str:
    """A mean as published, rounded half up to one decimal place (33.25 hours is 33.3)."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return MEASURE_FORMATS.get(measure or "", "{}").format(rounded)


def _order(values: Iterable[str], known: Sequence[str] = ()) -> list[str]:
    """``known`` values first in their order, then the rest as first met, "Total" last."""
    seen = list(dict.fromkeys(values))
    ordered = [v for v in known if v in seen] + [v for v in seen if v not in known and v != TOTAL]
    return ordered + ([TOTAL] if TOTAL in seen else [])


def _known_labels(attribute: str | None) -> list[str]:
    """The instrument's own labels for an attribute, in its order: a table's categories read
    from best to worst as the instrument lists them."""
    if attribute == PERIOD:
        return PERIODS
    kind = TERMS.get(attribute or "", ("", None))[1]
    if isinstance(kind, type) and issubclass(kind, models.TextChoices):
        return [str(label) for label in kind.labels]
    if kind == "yes-no":
        return [YES_NO[True], YES_NO[False]]
    return []


def _row_key(cell: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in cell.get("row", ()))


def _rows_in_order(spec: Spec, cells: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    keys = list(dict.fromkeys(_row_key(cell) for cell in cells))
    ranks = []
    for i, attribute in enumerate(spec.rows):
        values = _order((key[i] for key in keys if len(key) > i), _known_labels(attribute))
        ranks.append({value: rank for rank, value in enumerate(values)})

    def rank(key: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(
            ranks[i].get(value, len(keys)) if i < len(ranks) else len(keys)
            for i, value in enumerate(key)
        )

    return sorted(keys, key=rank)


def categories(spec: Spec, cells: Sequence[Mapping[str, Any]]) -> list[str]:
    """A count table's columns, the instrument's order first, "Total" last."""
    return _order((str(cell.get("column")) for cell in cells), _known_labels(spec.column))


@dataclass(frozen=True)
class Shown:
    """One cell as a reader sees it: its figure, or why it was withheld."""

    text: str
    withheld: bool = False


@dataclass(frozen=True)
class TableRow:
    labels: tuple[str, ...]
    cells: tuple[Shown, ...]


@dataclass(frozen=True)
class DataTable:
    key: str
    title: str
    row_titles: tuple[str, ...]
    column_titles: tuple[str, ...]
    rows: tuple[TableRow, ...]
    #: Counts of respondents (with each one's share of its row's total), else means.
    counts: bool = True

    @property
    def any_published(self) -> bool:
        return any(not cell.withheld for row in self.rows for cell in row.cells)


def _count_text(cell: Mapping[str, Any], total: Mapping[str, Any] | None) -> str:
    count = int(cell["respondents"])
    if total is None or is_withheld(total) or not total.get("respondents"):
        return f"{count:,}"
    return f"{count:,} ({count / int(total['respondents']):.0%})"


def data_table(
    release: Release, key: str, where: Mapping[str, Iterable[str]] | None = None
) -> DataTable | None:
    """The table's figures as a reader checks them, its withheld cells in words; ``where``
    keeps only the rows whose attributes take one of the given values. Nothing for a table the
    release does not hold."""
    spec = release.spec(key)
    if spec is None:
        return None
    cells = release.cells_of(key)
    if where:
        wanted = {spec.rows.index(a): set(v) for a, v in where.items() if a in spec.rows}
        cells = [c for c in cells if all(_row_key(c)[i] in values for i, values in wanted.items())]
    by_place = {(_row_key(cell), str(cell.get("column"))): cell for cell in cells}
    rows = []
    if spec.counts:
        columns = categories(spec, cells)
        for row in _rows_in_order(spec, cells):
            total = by_place.get((row, TOTAL))
            shown = []
            for column in columns:
                cell = by_place.get((row, column))
                if cell is None:
                    shown.append(Shown("not tabulated", withheld=True))
                elif is_withheld(cell):
                    shown.append(Shown(withheld_words(cell, release), withheld=True))
                else:
                    shown.append(Shown(_count_text(cell, None if column == TOTAL else total)))
            rows.append(TableRow(row, tuple(shown)))
        column_titles = tuple(columns)
    else:
        by_row = {_row_key(cell): cell for cell in cells}
        for row in _rows_in_order(spec, cells):
            cell = by_row[row]
            if is_withheld(cell):
                words = withheld_words(cell, release)
                rows.append(
                    TableRow(row, (Shown(words, withheld=True), Shown("withheld", withheld=True)))
                )
            else:
                mean = measure_text(spec.measure, float(cell["value"]))
                rows.append(TableRow(row, (Shown(mean), Shown(f"{int(cell['respondents']):,}"))))
        column_titles = (f"{attribute_title(spec.measure or '')}: mean", "Respondents")
    return DataTable(
        key=key,
        title=spec.title,
        row_titles=tuple(attribute_title(a) for a in spec.rows),
        column_titles=column_titles,
        rows=tuple(rows),
        counts=spec.counts,
    )


def _group_and_period(spec: Spec, row: tuple[str, ...]) -> tuple[str, str]:
    """A row's values but the period, joined, and its period."""
    named = list(zip(spec.rows, row, strict=False))
    group = ", ".join(value for attribute, value in named if attribute != PERIOD)
    return group, dict(named).get(PERIOD, "")


def _bar_label(spec: Spec, row: tuple[str, ...]) -> str:
    """ "Public service mutual: after transfer"; "Before or at transfer" for a table with no
    other attribute."""
    group, period = _group_and_period(spec, row)
    if not group:
        return period
    return group + (f": {period[:1].lower()}{period[1:]}" if period else "")


def _drawn_rows(spec: Spec, cells: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """The rows a chart draws: every one but the margins."""
    return [row for row in _rows_in_order(spec, cells) if TOTAL not in row]


@dataclass(frozen=True)
class ChartData:
    """What a chart draws (``rows``), its colours (label to colour, for the key beside it),
    the bars it could not draw, and the chart in one plain sentence."""

    rows: list[dict[str, Any]]
    colours: dict[str, str]
    not_drawn: list[str]
    summary: str


def share_chart(release: Release, key: str) -> ChartData | None:
    """Each row's respondents split by category, as shares of the row's published total: a
    stacked bar per row. A row whose total is withheld is not drawn (it is named)."""
    spec = release.spec(key)
    if spec is None or not spec.counts:
        return None
    cells = release.cells_of(key)
    by_place = {(_row_key(cell), str(cell.get("column"))): cell for cell in cells}
    shown_categories = [c for c in categories(spec, cells) if c != TOTAL]
    rows: list[dict[str, Any]] = []
    not_drawn = []
    for row in _drawn_rows(spec, cells):
        total = by_place.get((row, TOTAL))
        if total is None or is_withheld(total) or not total.get("respondents"):
            not_drawn.append(_bar_label(spec, row))
            continue
        whole = int(total["respondents"])
        published = 0
        for category in shown_categories:
            cell = by_place.get((row, category))
            if cell is not None and not is_withheld(cell):
                published += int(cell["respondents"])
                rows.append(_segment(spec, row, category, int(cell["respondents"]), whole))
        if whole > published:
            rows.append(_segment(spec, row, WITHHELD, whole - published, whole))
    drawn = [c for c in [*shown_categories, WITHHELD] if any(r["category"] == c for r in rows)]
    colours = {
        category: WITHHELD_COLOUR
        if category == WITHHELD
        else CATEGORY_COLOURS[shown_categories.index(category) % len(CATEGORY_COLOURS)]
        for category in drawn
    }
    return ChartData(rows, colours, not_drawn, _share_summary(spec, rows, shown_categories))


def _segment(
    spec: Spec, row: tuple[str, ...], category: str, count: int, whole: int
) -> dict[str, Any]:
    group, period = _group_and_period(spec, row)
    return {
        "bar": _bar_label(spec, row),
        "group": group,
        "period": period,
        "category": category,
        "share": round(count / whole, 4),
        "respondents": count,
        "total": whole,
    }


def _grouped(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Drawn rows by their group (every attribute but the period), then by period."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        found.setdefault(str(row["group"]), {})[str(row["period"])] = row
    return found


def _before_after(parts: Mapping[str, str]) -> str:
    before, after = (parts.get(period) for period in PERIODS)
    if before and after:
        return f"{before} before or at transfer and {after} after"
    if after:
        return f"{after} after transfer (before: not published)"
    return f"{before} before or at transfer (after: not published)"


def _share_summary(
    spec: Spec, rows: Sequence[Mapping[str, Any]], shown_categories: Sequence[str]
) -> str:
    if not rows:
        return "Too few respondents for any share to be published."
    first = shown_categories[0]
    about = attribute_title(spec.column or "").lower()
    if not spec.before_and_after:
        return f"The share of respondents by {about}; the figures are in the table below."
    firsts = [r for r in rows if r["category"] == first]
    if TERMS.get(spec.column or "", ("", None))[1] == "yes-no":
        whose = f"Respondents answering “{first}” to “{attribute_title(spec.column or '')}”"
    else:
        whose = f"Respondents whose {about} was “{first}”"
    groups = _grouped(firsts)
    parts = [
        (f"{group} " if group else "")
        + _before_after({period: f"{row['share']:.0%}" for period, row in by_period.items()})
        for group, by_period in groups.items()
    ]
    if not parts:
        return f"Too few respondents answered “{first}” for its share to be published."
    return f"{whose}: " + "; ".join(parts) + "."


def mean_chart(release: Release, key: str) -> ChartData | None:
    """The mean of a measure for each row, before and after transfer as bars of two colours;
    a withheld mean is not drawn (it is named)."""
    spec = release.spec(key)
    if spec is None or spec.counts:
        return None
    cells = release.cells_of(key)
    by_row = {_row_key(cell): cell for cell in cells}
    rows = []
    not_drawn = []
    for row in _drawn_rows(spec, cells):
        cell = by_row[row]
        label = _bar_label(spec, row)
        if is_withheld(cell) or cell.get("value") is None:
            not_drawn.append(label)
            continue
        group, period = _group_and_period(spec, row)
        rows.append(
            {
                "bar": label,
                "group": group,
                "period": period,
                "value": round(float(cell["value"]), 2),
                "text": measure_text(spec.measure, float(cell["value"])),
                "respondents": int(cell["respondents"]),
            }
        )
    colours = {
        period: colour
        for period, colour in PERIOD_COLOURS.items()
        if any(r["period"] == period for r in rows)
    }
    return ChartData(rows, colours, not_drawn, _mean_summary(spec, rows))


def _mean_summary(spec: Spec, rows: Sequence[Mapping[str, Any]]) -> str:
    about = attribute_title(spec.measure or "")
    if not rows:
        return f"{about}: too few respondents for any mean to be published."
    if not spec.before_and_after:
        return f"{about}, the mean of each group's respondents; the figures are below."
    parts = [
        (f"{group} " if group else "")
        + _before_after({period: str(row["text"]) for period, row in by_period.items()})
        for group, by_period in _grouped(rows).items()
    ]
    return f"{about}, on average: " + "; ".join(parts) + "."


def authority_rows(release: Release, key: str, authority_name: str) -> DataTable | None:
    """One council's rows of a table with a "Council" attribute, or nothing unless at least
    one of its cells was published."""
    spec = release.spec(key)
    if spec is None or "authority" not in spec.rows:
        return None
    table = data_table(release, key, {"authority": [authority_name]})
    if table is None or not table.any_published:
        return None
    # Every row is this council's: its name need not be repeated in each.
    position = spec.rows.index("authority")
    return dataclasses.replace(
        table,
        row_titles=tuple(t for i, t in enumerate(table.row_titles) if i != position),
        rows=tuple(
            TableRow(tuple(v for i, v in enumerate(r.labels) if i != position), r.cells)
            for r in table.rows
        ),
    )


def csv_rows(release: Release) -> list[list[Any]]:
    """Every cell of the release as the CSV download holds it: table, its title, the row's
    values joined by " / ", the column, respondents and value (empty where withheld) and
    why it was withheld, in words."""
    titles = {spec.key: spec.title for spec in release.specs}
    return [
        [
            cell.get("table", ""),
            titles.get(str(cell.get("table")), ""),
            " / ".join(_row_key(cell)),
            cell.get("column", ""),
            None if is_withheld(cell) else cell.get("respondents"),
            None if is_withheld(cell) else cell.get("value"),
            csv_withheld_words(cell, release),
        ]
        for cell in release.cells
    ]


CSV_COLUMNS = ["table", "table_title", "row", "column", "respondents", "value", "suppressed"]


@dataclass(frozen=True)
class CouncilStaff:
    """What a council's branch pack says of its staff: its own rows, the national table, and
    the tables by kind of provider for the kinds its services went to (rows with no figure
    published left out)."""

    release: Release
    council: DataTable | None
    national: DataTable | None
    kinds: list[str]
    by_kind: list[DataTable]


def _with_figures(table: DataTable | None) -> DataTable | None:
    if table is None:
        return None
    rows = tuple(row for row in table.rows if any(not cell.withheld for cell in row.cells))
    if not rows:
        return None
    return dataclasses.replace(table, rows=rows)


def council_staff(release: Release, authority_name: str, kinds: Iterable[str]) -> CouncilStaff:
    """``kinds``: the labels of the kinds of provider the council's services went to."""
    kinds = sorted(set(kinds))
    by_kind = [
        _with_figures(data_table(release, key, {"provider_kind": kinds})) for key in KIND_TABLES
    ]
    return CouncilStaff(
        release=release,
        council=authority_rows(release, COUNCIL_TABLE, authority_name),
        national=_with_figures(data_table(release, NATIONAL_TABLE)),
        kinds=kinds,
        by_kind=[table for table in by_kind if table is not None] if kinds else [],
    )
