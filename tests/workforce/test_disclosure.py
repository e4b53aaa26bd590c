"""Building the protected tables: primary suppression (fewer than k respondents, dominance),
secondary suppression in the suppressed cell's row and column, publishing again what the rest
gives away, margins, the CSV, the basis."""

import json
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualwatch.workforce.audit import audit
from mutualwatch.workforce.disclosure import (
    TOTAL,
    Basis,
    Contribution,
    Released,
    Rules,
    TableSpec,
    csv_rows,
    protect,
)
from tests.workforce.test_audit import history
from tests.workforce.worlds import (
    HEADCOUNT_BY_AREA,
    PENSION_BY_AREA,
    cell,
    grid,
    member,
    members,
)

RULES = Rules()
COUNTS = {
    ("Libraries", "LGPS open"): 12,
    ("Libraries", "LGPS closed"): 3,
    ("Libraries", "Employer scheme"): 11,
    ("Leisure", "LGPS open"): 15,
    ("Leisure", "LGPS closed"): 14,
    ("Leisure", "Employer scheme"): 13,
}


def test_a_cell_of_three_is_suppressed_with_a_partner_in_its_row_and_its_column():
    protected = protect(grid(COUNTS), [PENSION_BY_AREA], RULES)
    cells = protected.cells
    assert len([c for c in cells if c.suppressed]) == 4, "a rectangle is enough here"
    small = cell(cells, ("Libraries",), "LGPS closed")
    assert small.suppressed == "primary"
    assert small.respondents is None
    secondary = [c for c in cells if c.suppressed == "secondary"]
    assert any(c.row == ("Libraries",) and c.column != TOTAL for c in secondary), cells
    assert any(c.column == "LGPS closed" and c.row != (TOTAL,) for c in secondary), cells
    margins = [c for c in cells if c.column == TOTAL or c.row == (TOTAL,)]
    assert len(margins) == 2 + 3 + 1
    assert all(not c.suppressed for c in margins)
    assert cell(cells, ("Libraries",), TOTAL).respondents == 26
    assert cell(cells, (TOTAL,), "LGPS closed").respondents == 17
    assert cell(cells, (TOTAL,), TOTAL).respondents == 68
    findings = audit([Released(1, [PENSION_BY_AREA], cells, protected.basis)], RULES)
    assert findings
    assert all(finding.passed for finding in findings)
    (finding,) = [f for f in findings if f.column == "LGPS closed" and f.row == ("Libraries",)]
    assert finding.true_value == 3
    assert finding.upper - finding.lower >= 10


def test_nothing_small_nothing_suppressed():
    counts = {key: max(count, 10) for key, count in COUNTS.items()}
    cells = protect(grid(counts), [PENSION_BY_AREA], RULES).cells
    assert not [c for c in cells if c.suppressed]
    assert len(cells) == 3 * 4


def test_the_csv_shows_no_number_where_a_cell_is_suppressed():
    cells = protect(grid(COUNTS), [PENSION_BY_AREA], RULES).cells
    rows = list(csv_rows(cells, [PENSION_BY_AREA]))
    assert len(rows) == len(cells)
    small = next(r for r in rows if r["row"] == "Libraries" and r["column"] == "LGPS closed")
    assert small == {
        "table": "pension-by-area",
        "table_title": "Pension scheme, by service area",
        "row": "Libraries",
        "column": "LGPS closed",
        "respondents": "",
        "value": "",
        "suppressed": "fewer than k respondents",
    }
    assert {r["suppressed"] for r in rows} == {
        "",
        "fewer than k respondents",
        "protects another cell",
    }
    assert all((r["respondents"] == "") == bool(r["suppressed"]) for r in rows)
    total = next(r for r in rows if r["row"] == "Total" and r["column"] == "Total")
    assert total["respondents"] == "68"


def headcounts(top):
    return [
        member(service_area="Libraries", headcount=top),
        *[member(service_area="Libraries", headcount=5.0) for _ in range(11)],
        *[member(service_area="Leisure", headcount=40.0 + i) for i in range(12)],
        *[member(service_area="Parks", headcount=30.0 + i) for i in range(12)],
    ]


def test_one_contributor_holding_95_per_cent_of_a_headcount_cell_suppresses_it():
    protected = protect(headcounts(1045.0), [HEADCOUNT_BY_AREA], RULES)
    libraries = cell(protected.cells, ("Libraries",), "headcount", HEADCOUNT_BY_AREA.key)
    assert libraries.suppressed == "dominance"
    assert libraries.value is None
    assert libraries.respondents is None
    assert len([c for c in protected.cells if c.suppressed == "secondary"]) >= 1
    findings = audit([Released(1, [HEADCOUNT_BY_AREA], protected.cells, protected.basis)], RULES)
    (total,) = [f for f in findings if f.row == ("Libraries",) and f.measure == "headcount"]
    assert total.true_value == pytest.approx(1100.0)
    assert total.protection == pytest.approx(220.0)
    assert all(finding.passed for finding in findings)
    rows = list(csv_rows(protected.cells, [HEADCOUNT_BY_AREA]))
    assert next(r for r in rows if r["row"] == "Libraries")["suppressed"] == (
        "dominated by one or two contributors"
    )


def test_a_headcount_cell_without_a_dominant_contributor_is_published_as_a_mean():
    protected = protect(headcounts(50.0), [HEADCOUNT_BY_AREA], RULES)
    libraries = cell(protected.cells, ("Libraries",), "headcount", HEADCOUNT_BY_AREA.key)
    assert not libraries.suppressed
    assert libraries.respondents == 12
    assert libraries.value == pytest.approx((50 + 55) / 12)
    row = next(csv_rows([libraries], [HEADCOUNT_BY_AREA]))
    assert row["value"] == f"{(50 + 55) / 12:.2f}"


def test_dominance_applies_to_pay_and_headcount_not_to_hours():
    hours = TableSpec("hours", "Weekly hours", ("service_area",), None, "hours")
    contributions = [
        member(service_area="Libraries", hours=80.0),
        *[member(service_area="Libraries", hours=0.5) for _ in range(11)],
    ]
    contributions = [
        Contribution(c.attributes, {"hours": c.magnitudes["hours"]}, 1) for c in contributions
    ]
    libraries = cell(protect(contributions, [hours], RULES).cells, ("Libraries",), "hours", "hours")
    assert not libraries.suppressed
    assert libraries.value == pytest.approx((80 + 5.5) / 12)


@pytest.mark.parametrize("k", [0, 3, 4])
def test_fewer_than_five_respondents_per_cell_is_refused(k):
    with pytest.raises(ValueError, match="never enough"):
        Rules(min_respondents=k)


def test_k_is_configurable_at_five_or_more():
    cells = protect(grid(COUNTS), [PENSION_BY_AREA], Rules(min_respondents=3 + 2)).cells
    assert cell(cells, ("Libraries",), "LGPS closed").suppressed == "primary"
    cells = protect(grid(COUNTS), [PENSION_BY_AREA], Rules(min_respondents=15)).cells
    assert cell(cells, ("Libraries",), "LGPS open").suppressed == "primary"


def test_an_unanswered_question_leaves_a_contributor_out_of_that_table_only():
    by_period = TableSpec("by-period", "By period", ("period",), "service_area", None)
    contributions = [
        *members(10, service_area="Libraries", pension="LGPS open", period="After"),
        *members(10, service_area="Libraries", pension=None, period="After"),
    ]
    cells = protect(contributions, [PENSION_BY_AREA, by_period], RULES).cells
    assert cell(cells, (TOTAL,), TOTAL).respondents == 10
    assert cell(cells, (TOTAL,), TOTAL, "by-period").respondents == 20


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"column": "pension", "measure": "hours"}, "exactly one"),
        ({"column": None, "measure": None}, "exactly one"),
        ({"column": None, "measure": "salary"}, "unknown measure"),
        ({"column": "service_area", "measure": None}, "both a row and the column"),
    ],
)
def test_a_malformed_table_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        TableSpec("t", "T", ("service_area",), **arguments)


def test_impossible_magnitudes_and_cohorts_are_refused():
    with pytest.raises(ValueError, match="pay_ratio is 5000"):
        protect(
            [member(service_area="Libraries", pension="LGPS", pay_ratio=5000.0)],
            [PENSION_BY_AREA],
            RULES,
        )
    with pytest.raises(ValueError, match="cohort 3"):
        protect(
            [member(cohort=3, service_area="Libraries", pension="LGPS")],
            [PENSION_BY_AREA],
            RULES,
            number=2,
        )


def test_the_basis_goes_through_json_unchanged():
    protected = protect(
        [*grid(COUNTS), *headcounts(1045.0)], [PENSION_BY_AREA, HEADCOUNT_BY_AREA], RULES
    )
    document = json.loads(json.dumps(protected.basis.as_document()))
    assert Basis.from_document(document) == protected.basis
    with pytest.raises(ValueError, match="basis"):
        Basis.from_document({"number": 1})


def test_protect_tells_its_progress():
    told: list[tuple[int, int]] = []
    protect(
        grid(COUNTS),
        [PENSION_BY_AREA],
        RULES,
        progress=lambda done, total: told.append((done, total)),
    )
    assert told
    assert all(done <= total for done, total in told)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert told[-1][0] == told[-1][1]


# Parks and Museums are small in the closed scheme, Museums in all; the greedy choice withholds
# the closed scheme's column total, which the grand total less the open scheme's gives away.
GIVEN_AWAY = {
    ("Libraries", "LGPS open"): 15,
    ("Libraries", "LGPS closed"): 4,
    ("Leisure", "LGPS open"): 11,
    ("Leisure", "LGPS closed"): 12,
    ("Parks", "LGPS open"): 20,
    ("Parks", "LGPS closed"): 3,
    ("Museums", "LGPS open"): 4,
}


def test_a_cell_withheld_to_protect_others_is_published_if_the_rest_gives_it_away():
    protected = protect(grid(GIVEN_AWAY), [PENSION_BY_AREA], RULES)
    cells = protected.cells
    closed = cell(cells, (TOTAL,), "LGPS closed")
    assert not closed.suppressed
    assert closed.respondents == 19
    assert (
        cell(cells, (TOTAL,), TOTAL).respondents - cell(cells, (TOTAL,), "LGPS open").respondents
        == 19
    ), "the rest gives it away"
    assert [c.suppressed for c in cells].count("secondary") >= 1
    findings = audit([Released(1, [PENSION_BY_AREA], cells, protected.basis)], RULES)
    assert findings
    assert all(finding.passed for finding in findings)
    assert all(finding.upper > finding.lower for finding in findings), findings


def exactly_known(findings):
    """The withheld cells whose every quantity the audit pins to one value."""
    widths = defaultdict(list)
    for finding in findings:
        width = finding.upper - finding.lower
        widths[finding.table, finding.row, finding.column].append(
            width <= 1e-6 * max(1.0, abs(finding.true_value))
        )
    return [place for place, pinned in widths.items() if all(pinned)]


@st.composite
def grids(draw):
    """One or two publications of pension by area, with cells around k in size: the second keeps
    some of the first's members (the rest left) and adds new ones."""
    sizes = st.sampled_from([0, 0, 2, 3, 4, 11, 12, 15, 20])
    areas = ["Libraries", "Leisure", "Parks", "Museums"][: draw(st.integers(2, 4))]
    schemes = ["LGPS open", "LGPS closed", "Employer scheme"][: draw(st.integers(2, 3))]
    first = {(area, scheme): draw(sizes) for area in areas for scheme in schemes}
    publications = [([PENSION_BY_AREA], grid(first))]
    if draw(st.booleans()):
        kept = {place: draw(st.integers(0, count)) for place, count in first.items()}
        added = {place: draw(sizes) for place in first}
        publications.append(([PENSION_BY_AREA], [*grid(kept), *grid(added, cohort=2)]))
    return RULES, publications


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(grids(), history()))
def test_no_withheld_cell_is_given_away_by_the_rest_and_the_audit_still_passes(drawn):
    rules, publications = drawn
    released: list[Released] = []
    for number, (specs, contributions) in enumerate(publications, start=1):
        protected = protect(contributions, specs, rules, earlier=released, number=number)
        released.append(Released(number, specs, protected.cells, protected.basis))
    findings = audit(released, rules)
    assert all(f.passed for f in findings), [f for f in findings if not f.passed]
    latest = [f for f in findings if f.number == len(released)]
    assert exactly_known(latest) == []
