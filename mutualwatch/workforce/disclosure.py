"""Statistical disclosure control for the workforce tables: what leaves a branch is only aggregate
tables, and only cells no intruder can recover.

A publication is a set of tables (``TableSpec``), each with its row margins, column margins and
grand total. Every cell is a sum over *atoms*: the finest cross-classification of the
contributors by every attribute the publication's tables use, by which measures each one
answered, and by *cohort* (the first publication that counted it). The atoms are the
publication's ``Basis``: private, kept by the branch, and what the audit (``audit.py``) needs to
prove, by linear programming over everything ever published, that no suppressed cell can be
narrowed below its protection range.

Rules, in order:

- primary suppression: a cell with fewer than k respondents (k = 10 unless set, never below 5);
  for pay and headcount, a cell where one or two contributors hold more than 90% of the total;
- secondary suppression: more cells, chosen greedily, until the audit over this publication and
  every earlier one passes. A cell suppressed only to protect others was safe to publish, so
  its own interval needs no width;
- publishing again: a cell suppressed only to protect others whose value what is published
  already gives away exactly is published after all (withholding it would protect nothing).
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutualwatch.workforce.audit import Bounds, Model

TOTAL = "Total"

# The most one contributor can add to a cell of each measure: what an intruder knows at least.
MEASURE_BOUNDS: dict[str, float] = {
    "pay_ratio": 1000.0,
    "hourly_pay": 500.0,
    "hours": 80.0,
    "headcount": 1_000_000.0,
}

REASONS: dict[str, str] = {
    "": "",
    "primary": "fewer than k respondents",
    "dominance": "dominated by one or two contributors",
    "secondary": "protects another cell",
}

RESPONDENTS = "respondents"


@dataclass(frozen=True)
class Contribution:
    """One contributor: one member's questionnaire answers or one officer's observation.

    A contribution is counted unchanged from its cohort on: one whose answers change after a
    publication counted it is, for disclosure control, one that left and a new one (its cohort
    is then the publication being made). Attributes are labels; None is not answered."""

    attributes: Mapping[str, str | None]
    magnitudes: Mapping[str, float | None]
    cohort: int


@dataclass(frozen=True)
class TableSpec:
    """One published table: its rows are the values of the row attributes; a count table's
    columns are a category's values (respondents per category), a magnitude table's one column
    is the mean of a measure over the cell's contributors."""

    key: str
    title: str
    rows: tuple[str, ...]
    column: str | None
    measure: str | None

    def __post_init__(self) -> None:
        if (self.column is None) == (self.measure is None):
            raise ValueError(f"Table {self.key!r}: set exactly one of column and measure.")
        if not self.rows:
            raise ValueError(f"Table {self.key!r}: needs at least one row attribute.")
        if self.column is not None and self.column in self.rows:
            raise ValueError(f"Table {self.key!r}: {self.column!r} is both a row and the column.")
        if self.measure is not None and self.measure not in MEASURE_BOUNDS:
            known = ", ".join(sorted(MEASURE_BOUNDS))
            raise ValueError(f"Table {self.key!r}: unknown measure {self.measure!r} ({known}).")


@dataclass(frozen=True)
class Rules:
    """The disclosure-control parameters, fixed for a publication and its audit."""

    min_respondents: int = 10
    dominance: float = 0.9
    dominance_measures: frozenset[str] = frozenset({"pay_ratio", "hourly_pay", "headcount"})
    protection_count: float | None = None
    protection_ratio: float = 0.2

    def __post_init__(self) -> None:
        if self.min_respondents < 5:
            raise ValueError(
                f"min_respondents is {self.min_respondents}: fewer than 5 respondents per cell "
                "is never enough."
            )
        if not 0 < self.dominance <= 1:
            raise ValueError(f"dominance is {self.dominance}: it must be in (0, 1].")
        if self.protection_ratio < 0 or (
            self.protection_count is not None and self.protection_count < 0
        ):
            raise ValueError("Protection ranges cannot be negative.")

    @property
    def count_protection(self) -> float:
        if self.protection_count is None:
            return float(self.min_respondents)
        return self.protection_count


@dataclass(frozen=True)
class Cell:
    """One published cell: ``respondents`` and ``value`` are None where suppressed."""

    table: str
    row: tuple[str, ...]
    column: str
    respondents: int | None
    value: float | None
    suppressed: str


@dataclass(frozen=True)
class Atom:
    """Contributors alike in every attribute a publication uses, in which measures they answered
    and in cohort: how many, and their total of each measure (0 where not answered)."""

    values: tuple[str | None, ...]
    flags: tuple[bool, ...]
    cohort: int
    count: int
    sums: tuple[float, ...]


@dataclass(frozen=True)
class Basis:
    """The private atom-level counts a publication was built from: never published, kept so
    that later publications can be audited against this one."""

    number: int
    attributes: tuple[str, ...]
    measures: tuple[str, ...]
    atoms: tuple[Atom, ...]

    def as_document(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "attributes": list(self.attributes),
            "measures": list(self.measures),
            "atoms": [
                {
                    "values": list(atom.values),
                    "flags": list(atom.flags),
                    "cohort": atom.cohort,
                    "count": atom.count,
                    "sums": list(atom.sums),
                }
                for atom in self.atoms
            ],
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> "Basis":
        try:
            attributes = tuple(str(name) for name in document["attributes"])
            measures = tuple(str(name) for name in document["measures"])
            atoms = tuple(
                Atom(
                    values=tuple(None if value is None else str(value) for value in item["values"]),
                    flags=tuple(bool(flag) for flag in item["flags"]),
                    cohort=int(item["cohort"]),
                    count=int(item["count"]),
                    sums=tuple(float(total) for total in item["sums"]),
                )
                for item in document["atoms"]
            )
            number = int(document["number"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"Not a publication's basis: {error!r}.") from error
        for position, atom in enumerate(atoms):
            if (len(atom.values), len(atom.flags), len(atom.sums)) != (
                len(attributes),
                len(measures),
                len(measures),
            ):
                raise ValueError(f"Basis of publication {number}: atom {position} is malformed.")
        return cls(number, attributes, measures, atoms)


@dataclass(frozen=True)
class Protected:
    cells: list[Cell]
    basis: Basis


@dataclass(frozen=True)
class Released:
    """A publication as the audit sees it: what was published and what it was built from."""

    number: int
    specs: Sequence[TableSpec]
    cells: Sequence[Cell]
    basis: Basis


CellKey = tuple[tuple[str, ...], str]


def cell_finder(
    spec: TableSpec, attributes: Sequence[str], measures: Sequence[str]
) -> Callable[[Sequence[str | None], Sequence[bool]], list[CellKey]]:
    """The cells of ``spec`` an atom counts in: none where it lacks an attribute the table uses
    (or, for a magnitude table, the measure); else its cell, its row's and column's margins and
    the grand total (a magnitude table has no row margin: its one column is the measure)."""
    rows = [attributes.index(name) for name in spec.rows]
    total_row = (TOTAL,) * len(rows)
    if spec.measure is not None:
        flag = measures.index(spec.measure)
        measure = spec.measure

        def magnitude_cells(values: Sequence[str | None], flags: Sequence[bool]) -> list[CellKey]:
            row = tuple(values[i] for i in rows)
            if not flags[flag] or None in row:
                return []
            return [(row, measure), (total_row, measure)]  # type: ignore[list-item]

        return magnitude_cells
    column = attributes.index(spec.column) if spec.column is not None else -1

    def count_cells(values: Sequence[str | None], flags: Sequence[bool]) -> list[CellKey]:
        row = tuple(values[i] for i in rows)
        category = values[column]
        if category is None or None in row:
            return []
        return [
            (row, category),  # type: ignore[list-item]
            (row, TOTAL),  # type: ignore[list-item]
            (total_row, category),
            (total_row, TOTAL),
        ]

    return count_cells


def layout(specs: Sequence[TableSpec]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The attributes and measures a publication's atoms are classified by."""
    attributes = sorted(
        {name for spec in specs for name in (*spec.rows, spec.column) if name is not None}
    )
    measures = sorted({spec.measure for spec in specs if spec.measure is not None})
    return tuple(attributes), tuple(measures)


@dataclass
class _Gathered:
    count: int = 0
    sums: list[float] = field(default_factory=list)
    # The two largest contributions of each measure: what the dominance rule looks at.
    tops: list[list[float]] = field(default_factory=list)


def _gather(
    contributions: Sequence[Contribution], specs: Sequence[TableSpec], number: int
) -> tuple[Basis, dict[tuple[tuple[str | None, ...], tuple[bool, ...], int], _Gathered]]:
    attributes, measures = layout(specs)
    gathered: dict[tuple[tuple[str | None, ...], tuple[bool, ...], int], _Gathered] = {}
    for position, contribution in enumerate(contributions):
        if not 1 <= contribution.cohort <= number:
            raise ValueError(
                f"Contribution {position}: cohort {contribution.cohort} is not a publication "
                f"up to this one ({number})."
            )
        values = tuple(contribution.attributes.get(name) for name in attributes)
        if TOTAL in values:
            raise ValueError(f"Contribution {position}: {TOTAL!r} is not a category.")
        amounts = [contribution.magnitudes.get(name) for name in measures]
        for name, amount in contribution.magnitudes.items():
            if (
                name in MEASURE_BOUNDS
                and amount is not None
                and not (math.isfinite(amount) and 0 <= amount <= MEASURE_BOUNDS[name])
            ):
                raise ValueError(
                    f"Contribution {position}: {name} is {amount}, outside 0 to "
                    f"{MEASURE_BOUNDS[name]:g}."
                )
        flags = tuple(amount is not None for amount in amounts)
        key = (values, flags, contribution.cohort)
        atom = gathered.get(key)
        if atom is None:
            atom = gathered[key] = _Gathered(
                sums=[0.0] * len(measures), tops=[[] for _ in measures]
            )
        atom.count += 1
        for index, amount in enumerate(amounts):
            if amount is not None:
                atom.sums[index] += amount
                atom.tops[index] = sorted([*atom.tops[index], amount], reverse=True)[:2]
    atoms = tuple(
        Atom(values, flags, cohort, atom.count, tuple(atom.sums))
        for (values, flags, cohort), atom in sorted(gathered.items(), key=_atom_order)
    )
    return Basis(number, attributes, measures, atoms), gathered


def _atom_order(
    item: tuple[tuple[tuple[str | None, ...], tuple[bool, ...], int], _Gathered],
) -> tuple[tuple[str, ...], tuple[bool, ...], int]:
    (values, flags, cohort), _ = item
    return tuple("" if value is None else value for value in values), flags, cohort


@dataclass
class _Working:
    """A cell while its publication is being protected."""

    spec: TableSpec
    row: tuple[str, ...]
    column: str
    count: int = 0
    total: float = 0.0
    tops: list[float] = field(default_factory=list)
    suppressed: str = ""

    @property
    def margin(self) -> bool:
        return self.column == TOTAL or TOTAL in self.row

    def published(self) -> Cell:
        shown = not self.suppressed
        mean = None
        if shown and self.spec.measure is not None and self.count:
            mean = self.total / self.count
        return Cell(
            self.spec.key,
            self.row,
            self.column,
            self.count if shown else None,
            mean,
            self.suppressed,
        )


def _tables(
    specs: Sequence[TableSpec],
    basis: Basis,
    gathered: Mapping[tuple[tuple[str | None, ...], tuple[bool, ...], int], _Gathered],
) -> list[_Working]:
    cells: list[_Working] = []
    for spec in specs:
        finder = cell_finder(spec, basis.attributes, basis.measures)
        measure = basis.measures.index(spec.measure) if spec.measure is not None else None
        found: dict[CellKey, _Working] = {}
        for (values, flags, _cohort), atom in gathered.items():
            for row, column in finder(values, flags):
                cell = found.get((row, column))
                if cell is None:
                    cell = found[(row, column)] = _Working(spec, row, column)
                cell.count += atom.count
                if measure is not None:
                    cell.total += atom.sums[measure]
                    cell.tops = sorted([*cell.tops, *atom.tops[measure]], reverse=True)[:2]
        total_row = (TOTAL,) * len(spec.rows)
        rows = sorted({row for row, _ in found if row != total_row})
        columns = sorted({column for _, column in found if column != TOTAL})
        if spec.measure is None:
            columns.append(TOTAL)
        for row in [*rows, total_row]:
            for column in columns:
                cells.append(found.get((row, column)) or _Working(spec, row, column))
    return cells


def _primary(cell: _Working, rules: Rules) -> str:
    if 0 < cell.count < rules.min_respondents:
        return "primary"
    measure = cell.spec.measure
    if (
        measure in rules.dominance_measures
        and cell.total > 0
        and sum(cell.tops) > rules.dominance * cell.total
    ):
        return "dominance"
    return ""


def protect(
    contributions: Sequence[Contribution],
    specs: Sequence[TableSpec],
    rules: Rules,
    earlier: Sequence[Released] = (),
    number: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Protected:
    """Build every table (with row margins, column margins and grand total per table), apply
    primary suppression, then secondary suppression until the audit over ``earlier`` + this
    release passes, then publish again the secondary cells the rest gives away exactly."""
    # The audit is built on this module's types; importing it here keeps scipy out of the
    # import of the types themselves.
    from mutualwatch.workforce.audit import Model

    keys = [spec.key for spec in specs]
    if len(set(keys)) != len(keys):
        raise ValueError("Two tables have the same key.")
    for release in earlier:
        if release.number >= number:
            raise ValueError(
                f"Publication {release.number} is not earlier than this one ({number})."
            )
    basis, gathered = _gather(contributions, specs, number)
    cells = _tables(specs, basis, gathered)
    for cell in cells:
        cell.suppressed = _primary(cell, rules)

    def release_now() -> Released:
        return Released(number, tuple(specs), [cell.published() for cell in cells], basis)

    model = Model([*earlier, release_now()], rules)
    checks = model.checks(protected_only=True)
    done = 0
    while checks:
        model.set_cells(number, release_now().cells)
        results = model.bounds(checks, _after(progress, done), quick=True)
        done += len(checks)
        failing = [result for result in results if not result.finding.passed]
        if not failing:
            break
        added = _secondary(cells, failing, number)
        if not added:
            worst = failing[0].finding
            raise RuntimeError(
                f"Cannot protect publication {number}: cell {worst.row} · {worst.column} of "
                f"table {worst.table!r} (publication {worst.number}) can be narrowed to "
                f"[{worst.lower:g}, {worst.upper:g}] from what was published before, whatever "
                "this publication suppresses."
            )
        for index in added:
            cells[index].suppressed = "secondary"
        # A suppression only widens what an intruder can deduce: passing checks stay passed.
        checks = [result.check for result in failing]
    if any(cell.suppressed == "secondary" for cell in cells):
        _publish_given_away(model, cells, number, release_now, _after(progress, done))
    return Protected([cell.published() for cell in cells], basis)


def _after(progress: Callable[[int, int], None] | None, before: int) -> Callable[[int, int], None]:
    """Progress of a further step, counted on from the ``before`` steps already done."""

    def counted(step: int, steps: int) -> None:
        if progress is not None:
            progress(before + step, before + steps)

    return counted


def _publish_given_away(
    model: "Model",
    cells: list[_Working],
    number: int,
    release_now: Callable[[], Released],
    progress: Callable[[int, int], None],
) -> None:
    """Publish again every cell suppressed only to protect others whose value (respondents,
    and for a magnitude table its total too) what is published already pins exactly: it tells
    nobody anything, so what an intruder can deduce about every other cell is unchanged, and
    all of them can go at once. The protected cells are checked again all the same."""
    model.set_cells(number, release_now().cells)
    checks = [
        check
        for check in model.checks()
        if check.number == number and cells[check.cell].suppressed == "secondary"
    ]
    pinned = model.pinned(checks, progress)
    kept = {check.cell for check, known in zip(checks, pinned, strict=True) if not known}
    given_away = {check.cell for check in checks} - kept
    if not given_away:
        return
    for index in given_away:
        cells[index].suppressed = ""
    model.set_cells(number, release_now().cells)
    results = model.bounds(model.checks(protected_only=True), _after(progress, len(checks)))
    if not all(result.finding.passed for result in results):
        raise RuntimeError(
            f"Publication {number}: publishing the withheld cells that the others give away "
            "exactly left a protected cell narrower than its range; nothing is published."
        )


def _lines(cell: _Working) -> list[tuple[str, str, object]]:
    """The lines a cell adds up along with others: its row and column, margins included (a
    magnitude table's rows are single cells: its one line is its column)."""
    column = (cell.spec.key, "column", cell.column)
    if cell.spec.measure is not None:
        return [column]
    return [(cell.spec.key, "row", cell.row), column]


def _secondary(cells: list[_Working], failing: Sequence["Bounds"], number: int) -> list[int]:
    """One more suppression for each failing cell: a published cell the intruder's bound rests
    on, preferring one that completes lines with a lone suppression, then one that leaves no
    line with a lone suppression, then the failing cell's own row or column, a body cell over
    a margin, and the fewest respondents."""
    chosen: list[int] = []
    suppressed = {i for i, cell in enumerate(cells) if cell.suppressed}
    lines: dict[tuple[str, str, object], set[int]] = defaultdict(set)
    for index, cell in enumerate(cells):
        for line in _lines(cell):
            lines[line].add(index)
    for result in failing:
        target = cells[result.check.cell] if result.check.number == number else None
        near = set(_lines(target)) if target is not None else set()

        def rank(index: int, near: set[tuple[str, str, object]] = near) -> tuple[int, ...]:
            cell = cells[index]
            others = [len((lines[line] - {index}) & suppressed) for line in _lines(cell)]
            return (
                -others.count(1),
                others.count(0),
                not near & set(_lines(cell)),
                cell.margin,
                cell.count,
            )

        binding = {cell for release, cell in result.binding if release == number}
        open_cells = [
            index for index in range(len(cells)) if index not in suppressed and cells[index].count
        ]
        candidates = [index for index in open_cells if index in binding]
        if not candidates:
            candidates = [i for i in open_cells if near & set(_lines(cells[i]))]
        if not candidates:
            candidates = open_cells
        if candidates:
            best = min(candidates, key=rank)
            chosen.append(best)
            suppressed.add(best)
    return chosen


def csv_rows(cells: Sequence[Cell], specs: Sequence[TableSpec]) -> Iterator[dict[str, str]]:
    """The published cells as plain rows for a CSV file: nothing suppressed shows a number."""
    titles = {spec.key: spec.title for spec in specs}
    magnitude = {spec.key for spec in specs if spec.measure is not None}
    for cell in cells:
        if cell.table not in titles:
            raise ValueError(f"Cell of unknown table {cell.table!r}.")
        shown = not cell.suppressed
        value = ""
        if shown and cell.table in magnitude and cell.value is not None:
            value = f"{cell.value:.2f}"
        yield {
            "table": cell.table,
            "table_title": titles[cell.table],
            "row": " · ".join(cell.row),
            "column": cell.column,
            "respondents": str(cell.respondents) if shown and cell.respondents is not None else "",
            "value": value,
            "suppressed": REASONS[cell.suppressed],
        }
