"""The disclosure audit: for every suppressed cell, the narrowest interval an intruder who knows
everything ever published could deduce, by linear programming (the project's only scipy import).

The intruder's knowledge, for each publication t, in the unknowns of its atoms (``Basis``):
x (contributors) and s (their total of each measure), for every atom that publication counted:

- every published cell: its respondents (a sum of x) and, for a magnitude cell, its total
  (mean times respondents, a sum of s), taken as exact;
- 0 <= s <= (most one contributor can have) * x, and x >= 0;
- which atoms hold anyone at all. This is more than a reader of the tables knows, but a reader
  of the public register knows much of it (an arrangement's kind of provider and service area),
  and erring towards the intruder is the safe side;
- between one publication and the next, contributors only leave a cohort (retention, erasure),
  never join an old one: an atom's old cohorts can only shrink. Where nobody at all left a
  cohort, the intruder is taken to know it (that is the intruder's natural guess): that cohort is
  then the same in both, which is what differencing two publications exploits.

Where two publications classify by different attributes, they are linked on the attributes they
share. A count's interval is then rounded inwards to whole contributors, as an intruder would.

What is not modelled: where some did leave a cohort, an intruder who guesses that nobody did is
wrong, and is not assumed to know how many left; nor are intervals narrowed by integer
programming beyond that rounding.

A suppressed count needs an interval at least ``Rules.count_protection`` wide; a suppressed total
``Rules.protection_ratio`` of itself. A cell suppressed only to protect others needs none.
"""

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix, vstack  # type: ignore[import-untyped]

try:
    # HiGHS as scipy bundles it, kept warm between objectives: linprog starts afresh each time,
    # ten times slower on the audits of a national publication.
    from scipy.optimize._highspy import _core as _highs  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - a scipy that moved it: the documented way still works
    _highs = None

from mutualwatch.workforce.disclosure import (
    MEASURE_BOUNDS,
    RESPONDENTS,
    Cell,
    Released,
    Rules,
    cell_finder,
)

# Below this an interval for a total is no interval at all, however small the total.
SUM_EPSILON = 1e-3
TOLERANCE = 1e-6
# Solve with linprog afresh each time (the tests compare both ways).
COLD = False


@dataclass(frozen=True)
class Finding:
    """What an intruder can deduce about one suppressed cell's respondents or total."""

    number: int
    table: str
    row: tuple[str, ...]
    column: str
    measure: str
    true_value: float
    lower: float
    upper: float
    protection: float

    @property
    def passed(self) -> bool:
        return self.upper - self.lower >= self.protection - TOLERANCE * max(1.0, self.protection)


@dataclass(frozen=True)
class Check:
    """One quantity of one suppressed cell to bound: cell is its position in its publication."""

    number: int
    cell: int
    measure: str


@dataclass(frozen=True)
class Bounds:
    """A check's finding, and the published cells (publication, position) its bounds rest on."""

    check: Check
    finding: Finding
    binding: frozenset[tuple[int, int]]


def protection(cell: Cell, measure: str, true_value: float, rules: Rules) -> float:
    """How wide a suppressed cell's interval must be. A cell suppressed only to protect others
    was safe to publish; a cell dominated by one or two contributors hides its total, its
    respondents were safe."""
    if cell.suppressed == "secondary":
        return 0.0
    if measure == RESPONDENTS:
        return 0.0 if cell.suppressed == "dominance" else rules.count_protection
    return max(rules.protection_ratio * true_value, SUM_EPSILON)


class _Publication:
    """One publication's unknowns and which of them each of its cells adds up."""

    def __init__(self, release: Released, start: int) -> None:
        self.release = release
        basis = release.basis
        if basis.number != release.number:
            raise ValueError(
                f"Publication {release.number} comes with the basis of {basis.number}."
            )
        self.cells: list[Cell] = list(release.cells)
        count = len(basis.atoms)
        self.x = np.arange(start, start + count)
        self.s = np.full((count, len(basis.measures)), -1)
        following = start + count
        for index, atom in enumerate(basis.atoms):
            if atom.cohort > release.number:
                raise ValueError(
                    f"Publication {release.number} counts cohort {atom.cohort}, a later one."
                )
            for measure, flag in enumerate(atom.flags):
                if flag:
                    self.s[index, measure] = following
                    following += 1
        self.end = following
        specs = {spec.key: spec for spec in release.specs}
        members: dict[str, dict[tuple[tuple[str, ...], str], list[int]]] = {}
        for key, spec in specs.items():
            finder = cell_finder(spec, basis.attributes, basis.measures)
            found: dict[tuple[tuple[str, ...], str], list[int]] = defaultdict(list)
            for index, atom in enumerate(basis.atoms):
                for place in finder(atom.values, atom.flags):
                    found[place].append(index)
            members[key] = found
        self.members: list[np.ndarray] = []
        self.measure: list[int | None] = []
        for cell in self.cells:
            table = specs.get(cell.table)
            if table is None:
                raise ValueError(f"Publication {release.number}: no table {cell.table!r}.")
            atoms = members[cell.table].get((cell.row, cell.column), [])
            self.members.append(np.array(atoms, dtype=int))
            self.measure.append(
                None if table.measure is None else basis.measures.index(table.measure)
            )

    def true_value(self, cell: int, measure: str) -> float:
        atoms = self.release.basis.atoms
        if measure == RESPONDENTS:
            return float(sum(atoms[i].count for i in self.members[cell]))
        position = self.release.basis.measures.index(measure)
        return sum(atoms[i].sums[position] for i in self.members[cell])

    def unknowns(self, cell: int, measure: str) -> np.ndarray:
        members = self.members[cell]
        if measure == RESPONDENTS:
            return self.x[members]
        return self.s[members, self.release.basis.measures.index(measure)]


class Model:
    """The intruder's linear program over a sequence of publications, built once; the cells of
    one publication can be replaced (as secondary suppression goes on) and bounds asked for."""

    def __init__(self, releases: Sequence[Released], rules: Rules) -> None:
        ordered = sorted(releases, key=lambda release: release.number)
        numbers = [release.number for release in ordered]
        if len(set(numbers)) != len(numbers):
            raise ValueError("Two publications have the same number.")
        self.rules = rules
        self.publications: dict[int, _Publication] = {}
        start = 0
        for release in ordered:
            publication = _Publication(release, start)
            self.publications[release.number] = publication
            start = publication.end
        self.size = start
        self.scale = self._scales()
        self._fixed_rows: list[tuple[list[int], list[float], float]] = []
        upper: list[tuple[list[int], list[float], float]] = []
        for publication in self.publications.values():
            measures = publication.release.basis.measures
            for index, measure in zip(*np.nonzero(publication.s >= 0), strict=True):
                ratio = MEASURE_BOUNDS[measures[measure]] / self.scale[measures[measure]]
                unknowns = [int(publication.s[index, measure]), int(publication.x[index])]
                upper.append((unknowns, [1.0, -ratio], 0.0))
        for earlier, later in itertools.pairwise(ordered):
            upper.extend(self._link(earlier.number, later.number))
        self._upper = _matrix(upper, self.size)
        self._equal: tuple[csr_matrix, np.ndarray, list[tuple[int, int] | None]] | None = None

    def _scales(self) -> dict[str, float]:
        """A typical contribution of each measure: the unit its totals are solved in."""
        counts: dict[str, float] = defaultdict(float)
        totals: dict[str, float] = defaultdict(float)
        for publication in self.publications.values():
            basis = publication.release.basis
            for atom in basis.atoms:
                for name, flag, total in zip(basis.measures, atom.flags, atom.sums, strict=True):
                    if flag:
                        counts[name] += atom.count
                        totals[name] += total
        return {
            name: totals[name] / counts[name] if totals[name] > 0 else 1.0
            for name in MEASURE_BOUNDS
        }

    def _link(self, earlier: int, later: int) -> list[tuple[list[int], list[float], float]]:
        """Old cohorts only shrink; where none of a cohort left, they are the same."""
        before, after = self.publications[earlier], self.publications[later]
        first, second = before.release.basis, after.release.basis
        attributes = [name for name in first.attributes if name in second.attributes]
        measures = [name for name in first.measures if name in second.measures]

        def coarse(basis_index: int, which: int) -> tuple[object, ...]:
            basis = first if which == 0 else second
            atom = basis.atoms[basis_index]
            return (
                tuple(atom.values[basis.attributes.index(name)] for name in attributes),
                tuple(atom.flags[basis.measures.index(name)] for name in measures),
                atom.cohort,
            )

        groups: dict[tuple[object, ...], tuple[list[int], list[int]]] = defaultdict(
            lambda: ([], [])
        )
        for which, basis in enumerate((first, second)):
            for index, atom in enumerate(basis.atoms):
                if atom.cohort <= earlier:
                    groups[coarse(index, which)][which].append(index)
        rows: list[tuple[list[int], list[float], float]] = []
        left: dict[int, int] = defaultdict(int)
        for key, (old, new) in groups.items():
            cohort = key[2]
            assert isinstance(cohort, int)
            had = sum(first.atoms[i].count for i in old)
            has = sum(second.atoms[i].count for i in new)
            if has > had:
                raise ValueError(
                    f"Publication {later} counts more of cohort {cohort} in {key[0]} than "
                    f"publication {earlier} did: a contribution changed after it was published "
                    "must be counted as a new one."
                )
            left[cohort] += had - has
            if not new:
                continue
            rows.append(
                (
                    [*(int(after.x[i]) for i in new), *(int(before.x[i]) for i in old)],
                    [1.0] * len(new) + [-1.0] * len(old),
                    0.0,
                )
            )
            for name in measures:
                old_s = [int(before.s[i, first.measures.index(name)]) for i in old]
                new_s = [int(after.s[i, second.measures.index(name)]) for i in new]
                old_s, new_s = [v for v in old_s if v >= 0], [v for v in new_s if v >= 0]
                if new_s:
                    rows.append((new_s + old_s, [1.0] * len(new_s) + [-1.0] * len(old_s), 0.0))
        for cohort, gone in left.items():
            if gone:
                continue
            # Nobody left the cohort: its old and new counts and totals are equal.
            members = [key for key in groups if key[2] == cohort]
            self._fixed_rows.append(_difference(before.x, after.x, groups, members, None))
            for name in measures:
                self._fixed_rows.append(
                    _difference(
                        before.s[:, first.measures.index(name)],
                        after.s[:, second.measures.index(name)],
                        groups,
                        members,
                        name,
                    )
                )
        return rows

    def set_cells(self, number: int, cells: Sequence[Cell]) -> None:
        publication = self.publications[number]
        if len(cells) != len(publication.cells):
            raise ValueError(f"Publication {number}: the cells cannot change shape.")
        publication.cells = list(cells)
        self._equal = None

    def checks(self, protected_only: bool = False) -> list[Check]:
        """Every quantity of every suppressed cell (or only those that need a width)."""
        found: list[Check] = []
        for number, publication in self.publications.items():
            measures = publication.release.basis.measures
            for index, cell in enumerate(publication.cells):
                if not cell.suppressed:
                    continue
                position = publication.measure[index]
                quantities = [RESPONDENTS] + ([] if position is None else [measures[position]])
                for measure in quantities:
                    check = Check(number, index, measure)
                    if protected_only and not self._protection(check):
                        continue
                    found.append(check)
        return found

    def _protection(self, check: Check) -> float:
        publication = self.publications[check.number]
        cell = publication.cells[check.cell]
        return protection(
            cell, check.measure, publication.true_value(check.cell, check.measure), self.rules
        )

    def _equalities(self) -> tuple[csr_matrix, np.ndarray, list[tuple[int, int] | None]]:
        if self._equal is not None:
            return self._equal
        rows = list(self._fixed_rows)
        owners: list[tuple[int, int] | None] = [None] * len(rows)
        for number, publication in self.publications.items():
            measures = publication.release.basis.measures
            for index, cell in enumerate(publication.cells):
                if cell.suppressed:
                    continue
                members = publication.members[index]
                if cell.respondents is None:
                    raise ValueError(
                        f"Publication {number}: cell {cell.row} · {cell.column} of "
                        f"{cell.table!r} is published without its respondents."
                    )
                if not len(members):
                    if cell.respondents:
                        raise ValueError(
                            f"Publication {number}: cell {cell.row} · {cell.column} of "
                            f"{cell.table!r} has respondents its basis does not."
                        )
                    continue
                unknowns = [int(v) for v in publication.x[members]]
                rows.append((unknowns, [1.0] * len(unknowns), float(cell.respondents)))
                owners.append((number, index))
                position = publication.measure[index]
                if position is not None and cell.value is not None:
                    name = measures[position]
                    unknowns = [int(v) for v in publication.s[members, position]]
                    total = cell.value * cell.respondents / self.scale[name]
                    rows.append((unknowns, [1.0] * len(unknowns), total))
                    owners.append((number, index))
        matrix, values = _matrix(rows, self.size)
        self._equal = (matrix, values, owners)
        return self._equal

    def bounds(
        self,
        checks: Sequence[Check],
        progress: Callable[[int, int], None] | None = None,
        quick: bool = False,
    ) -> list[Bounds]:
        """Solve two linear programs per check: the most and the least the quantity can be.

        Every optimum is a point the intruder cannot rule out: where one already puts a
        quantity at 0, its least is known without solving. ``quick`` is for deciding, not
        reporting: a check is passed as soon as such points (and the truth) are far enough
        apart, and its finding then gives those points' spread, not the widest; a failing
        check comes with the published cells its bounds rest on (their duals)."""
        owners, solvers, targets, quantities, scales = self._programs(checks)
        highest_seen = np.array([true for *_, true, _ in targets])
        least_seen = highest_seen.copy()
        found: list[Bounds] = []
        for done, (check, (unknowns, scale, true_value, needed)) in enumerate(
            zip(checks, targets, strict=True)
        ):
            resting: set[tuple[int, int]] = set()
            ends = {1.0: least_seen[done], -1.0: highest_seen[done]} if quick else {}
            finding = self._finding(check, ends, true_value, needed)
            for sign, solver in zip((-1.0, 1.0), solvers, strict=True):
                if quick and finding.passed:
                    break
                if sign > 0 and least_seen[done] <= 0:
                    # Nothing is negative: a point where the quantity is 0 is its least.
                    ends[sign] = 0.0
                    finding = self._finding(check, ends, true_value, needed)
                    break
                optimum, duals, point = solver.minimise(unknowns, sign, quick)
                ends[sign] = math.inf if optimum is None else sign * optimum * scale
                for row in np.nonzero(np.abs(duals) > 1e-9)[0]:
                    owner = owners[int(row)]
                    if owner is not None:
                        resting.add(owner)
                if point is not None:
                    values = quantities @ point * scales
                    np.maximum(highest_seen, values, out=highest_seen)
                    np.minimum(least_seen, values, out=least_seen)
                finding = self._finding(check, ends, true_value, needed)
            found.append(Bounds(check, finding, frozenset(resting if not finding.passed else ())))
            if progress is not None:
                progress(done + 1, len(checks))
        return found

    def pinned(
        self, checks: Sequence[Check], progress: Callable[[int, int], None] | None = None
    ) -> list[bool]:
        """Whether each check's quantity is already known exactly from what is published: its
        least and its most are the same (within the solver's tolerance, before any rounding to
        whole contributors, so that publishing it changes nothing the intruder can deduce).

        Any optimum already found is a point the intruder cannot rule out: a quantity that takes
        two values far enough apart there is not pinned, without solving for it."""
        _, solvers, targets, quantities, scales = self._programs(checks)
        truths = np.array([true for *_, true, _ in targets])
        slack = TOLERANCE * np.maximum(1.0, np.abs(truths))
        highest_seen, least_seen = truths.copy(), truths.copy()
        found: list[bool] = []
        for done, (unknowns, scale, _, _) in enumerate(targets):
            for sign, solver in zip((-1.0, 1.0), solvers, strict=True):
                if highest_seen[done] - least_seen[done] > slack[done]:
                    break
                optimum, _, point = solver.minimise(unknowns, sign, False)
                if optimum is None or point is None:
                    highest_seen[done] = math.inf
                    break
                value = sign * optimum * scale
                highest_seen[done] = max(highest_seen[done], value)
                least_seen[done] = min(least_seen[done], value)
                values = quantities @ point * scales
                np.maximum(highest_seen, values, out=highest_seen)
                np.minimum(least_seen, values, out=least_seen)
            found.append(bool(highest_seen[done] - least_seen[done] <= slack[done]))
            if progress is not None:
                progress(done + 1, len(checks))
        return found

    def _programs(
        self, checks: Sequence[Check]
    ) -> tuple[
        list[tuple[int, int] | None],
        list["_Solver"],
        list[tuple[np.ndarray, float, float, float]],
        csr_matrix,
        np.ndarray,
    ]:
        """What solving ``checks`` needs: the owners of the equality rows, one solver per
        direction (each starts from the optimum of the last cell, a neighbour), each check's
        target, the checks' quantities as rows (to read them off any optimum) and their units."""
        equal, equal_values, owners = self._equalities()
        upper, upper_values = self._upper
        solvers = [_solver(equal, equal_values, upper, upper_values, self.size) for _ in "+-"]
        targets = [self._target(check) for check in checks]
        quantities = _matrix(
            [(unknowns.tolist(), [1.0] * len(unknowns), 0.0) for unknowns, *_ in targets],
            self.size,
        )[0]
        scales = np.array([scale for _, scale, _, _ in targets])
        return owners, solvers, targets, quantities, scales

    def _target(self, check: Check) -> tuple[np.ndarray, float, float, float]:
        """A check's unknowns, the unit they are solved in, its true value and protection."""
        publication = self.publications[check.number]
        cell = publication.cells[check.cell]
        true_value = publication.true_value(check.cell, check.measure)
        return (
            publication.unknowns(check.cell, check.measure),
            1.0 if check.measure == RESPONDENTS else self.scale[check.measure],
            true_value,
            protection(cell, check.measure, true_value, self.rules),
        )

    def _finding(
        self, check: Check, ends: Mapping[float, float], true_value: float, needed: float
    ) -> Finding:
        cell = self.publications[check.number].cells[check.cell]
        lower = min(ends.get(1.0, true_value), true_value)
        highest = max(ends.get(-1.0, true_value), true_value)
        if check.measure == RESPONDENTS:
            # Whole contributors: an intruder rounds inwards too.
            lower = float(math.ceil(lower - 1e-6))
            highest = highest if math.isinf(highest) else float(math.floor(highest + 1e-6))
        return Finding(
            number=check.number,
            table=cell.table,
            row=cell.row,
            column=cell.column,
            measure=check.measure,
            true_value=true_value,
            lower=lower,
            upper=highest,
            protection=needed,
        )


class _Solver(Protocol):
    def minimise(
        self, unknowns: np.ndarray, sign: float, duals: bool
    ) -> tuple[float | None, np.ndarray, np.ndarray | None]:
        """The least of sign times the sum of ``unknowns`` (None: unbounded below), the
        equality rows' duals (empty unless asked for) and the optimum (None: unbounded)."""
        ...


class _Warm:
    """HiGHS kept between solves: the constraints stay, only the objective changes, so each
    solve starts from the last optimal basis (a few iterations, not a fresh solve)."""

    def __init__(
        self,
        equal: csr_matrix,
        equal_values: np.ndarray,
        upper: csr_matrix,
        upper_values: np.ndarray,
        size: int,
    ) -> None:
        matrix = vstack([equal, upper]).tocsc()
        lp = _highs.HighsLp()
        lp.num_col_ = lp.a_matrix_.num_col_ = size
        lp.num_row_ = lp.a_matrix_.num_row_ = matrix.shape[0]
        lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        lp.col_cost_ = np.zeros(size)
        lp.col_lower_ = np.zeros(size)
        lp.col_upper_ = np.full(size, np.inf)
        lp.row_lower_ = np.concatenate([equal_values, np.full(upper.shape[0], -np.inf)])
        lp.row_upper_ = np.concatenate([equal_values, upper_values])
        self.highs = _highs._Highs()
        self.highs.setOptionValue("output_flag", False)
        # Presolve would be redone for every objective; the warm basis is worth more.
        self.highs.setOptionValue("presolve", "off")
        # After a change of objective the last basis is still feasible: primal simplex goes on
        # from it (the dual simplex would start nearly afresh, four times slower here).
        self.highs.setOptionValue("simplex_strategy", 4)
        self.highs.setOptionValue("threads", 1)
        if self.highs.passModel(lp) == _highs.HighsStatus.kError:
            raise ValueError("The intruder's linear program could not be built.")
        self.cost = np.zeros(size)
        self.rows = equal.shape[0]
        self.cold = _Cold(equal, equal_values, upper, upper_values, size)

    def minimise(
        self, unknowns: np.ndarray, sign: float, duals: bool
    ) -> tuple[float | None, np.ndarray, np.ndarray | None]:
        cost = np.zeros_like(self.cost)
        cost[unknowns] = sign
        changed = np.nonzero(cost != self.cost)[0]
        self.highs.changeColsCost(len(changed), changed.astype(np.int32), cost[changed])
        self.cost = cost
        self.highs.run()
        status = self.highs.getModelStatus()
        if status in (
            _highs.HighsModelStatus.kUnbounded,
            _highs.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return None, np.zeros(0), None
        if status != _highs.HighsModelStatus.kOptimal:
            # A warm start can stall on a large, badly scaled program (HiGHS then reports
            # "Unknown"): that objective is solved afresh, with presolve, before anything is
            # said to contradict the basis. The next objective starts from a clean basis.
            self.highs.clearSolver()
            return self.cold.minimise(unknowns, sign, duals)
        value = float(self.highs.getInfo().objective_function_value)
        solution = self.highs.getSolution()
        return (
            value,
            np.asarray(solution.row_dual)[: self.rows] if duals else np.zeros(0),
            np.asarray(solution.col_value),
        )


class _Cold:
    """scipy's documented ``linprog``, one fresh solve per objective: slower, and what the warm
    solver is checked against."""

    def __init__(
        self,
        equal: csr_matrix,
        equal_values: np.ndarray,
        upper: csr_matrix,
        upper_values: np.ndarray,
        size: int,
    ) -> None:
        self.equal, self.equal_values = equal, equal_values
        self.upper, self.upper_values = upper, upper_values
        self.size = size

    def minimise(
        self, unknowns: np.ndarray, sign: float, duals: bool
    ) -> tuple[float | None, np.ndarray, np.ndarray | None]:
        cost = np.zeros(self.size)
        cost[unknowns] = sign
        result = linprog(
            cost,
            A_ub=self.upper if self.upper.shape[0] else None,
            b_ub=self.upper_values if self.upper.shape[0] else None,
            A_eq=self.equal if self.equal.shape[0] else None,
            b_eq=self.equal_values if self.equal.shape[0] else None,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 3:
            return None, np.zeros(0), None
        if result.status != 0:
            raise ValueError(f"The published cells contradict their basis ({result.message}).")
        marginals = result.eqlin.marginals if self.equal.shape[0] and duals else np.zeros(0)
        return float(result.fun), np.asarray(marginals), np.asarray(result.x)


def _solver(
    equal: csr_matrix,
    equal_values: np.ndarray,
    upper: csr_matrix,
    upper_values: np.ndarray,
    size: int,
) -> _Solver:
    if _highs is None or COLD:
        return _Cold(equal, equal_values, upper, upper_values, size)
    return _Warm(equal, equal_values, upper, upper_values, size)


def _difference(
    before: np.ndarray,
    after: np.ndarray,
    groups: dict[tuple[object, ...], tuple[list[int], list[int]]],
    keys: Sequence[tuple[object, ...]],
    measure: str | None,
) -> tuple[list[int], list[float], float]:
    """Old minus new of one cohort's unknowns (counts, or totals of ``measure``) equals 0."""
    old = [int(before[i]) for key in keys for i in groups[key][0]]
    new = [int(after[i]) for key in keys for i in groups[key][1]]
    if measure is not None:
        old, new = [v for v in old if v >= 0], [v for v in new if v >= 0]
    return old + new, [1.0] * len(old) + [-1.0] * len(new), 0.0


def _matrix(
    rows: Sequence[tuple[Sequence[int], Sequence[float], float]], size: int
) -> tuple[csr_matrix, np.ndarray]:
    columns = [column for unknowns, _, _ in rows for column in unknowns]
    places = [place for place, (unknowns, _, _) in enumerate(rows) for _ in unknowns]
    weights = [weight for _, coefficients, _ in rows for weight in coefficients]
    matrix = csr_matrix((weights, (places, columns)), shape=(len(rows), size))
    return matrix, np.array([value for _, _, value in rows], dtype=float)


def audit(
    releases: Sequence[Released],
    rules: Rules,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    """For every suppressed cell of every release, the narrowest interval an intruder who knows
    every published cell of every release could deduce; one Finding per suppressed cell and
    measure."""
    model = Model(releases, rules)
    return [result.finding for result in model.bounds(model.checks(), progress)]
