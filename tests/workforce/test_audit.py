"""The disclosure audit: it catches a leaky table, it sees differencing against a table
published earlier, and no sequence of protected publications lets it narrow a suppressed cell
below its protection range."""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualwatch.workforce import audit as audit_module
from mutualwatch.workforce.audit import audit
from mutualwatch.workforce.disclosure import (
    TOTAL,
    Contribution,
    Released,
    Rules,
    TableSpec,
    protect,
)
from tests.workforce.worlds import PENSION_BY_AREA, cell, grid

RULES = Rules()


def published(protected, specs, number=1):
    return Released(number, specs, protected.cells, protected.basis)


def test_a_lone_suppressed_cell_beside_its_published_margin_is_caught():
    counts = {
        ("Libraries", "LGPS open"): 12,
        ("Libraries", "LGPS closed"): 3,
        ("Leisure", "LGPS open"): 15,
        ("Leisure", "LGPS closed"): 14,
    }
    honest = protect(grid(counts), [PENSION_BY_AREA], RULES)
    small = cell(honest.cells, ("Libraries",), "LGPS closed")
    assert small.suppressed == "primary"
    # Publish every other cell with its true count: the small cell is alone in its row.
    leaky = [
        c if c is small else dataclasses.replace(c, respondents=true, suppressed="")
        for c, true in zip(honest.cells, true_counts(honest, PENSION_BY_AREA), strict=True)
    ]
    (finding,) = audit(
        [published(dataclasses.replace(honest, cells=leaky), [PENSION_BY_AREA])], RULES
    )
    assert (finding.true_value, finding.lower, finding.upper) == (3, 3, 3)
    assert not finding.passed
    assert finding.row == ("Libraries",)
    assert finding.measure == "respondents"


def test_a_suppressed_mean_recoverable_from_its_total_is_caught():
    spec = TableSpec("pay", "Pay ratio by area", ("service_area",), None, "pay_ratio")
    contributions = [
        Contribution({"service_area": area}, {"pay_ratio": 90.0 + i}, 1)
        for area, count in (("Libraries", 12), ("Leisure", 4))
        for i in range(count)
    ]
    protected = protect(contributions, [spec], RULES)
    leisure = cell(protected.cells, ("Leisure",), "pay_ratio", "pay")
    assert leisure.suppressed == "primary"
    leaky = [
        dataclasses.replace(c, suppressed="", respondents=12, value=(90 * 12 + 66) / 12)
        if c.row == ("Libraries",)
        else c
        for c in protected.cells
    ]
    leaky = [
        dataclasses.replace(c, suppressed="", respondents=16, value=(90 * 16 + 66 + 6) / 16)
        if c.row == (TOTAL,)
        else c
        for c in leaky
    ]
    findings = audit([published(dataclasses.replace(protected, cells=leaky), [spec])], RULES)
    by_measure = {f.measure: f for f in findings}
    assert by_measure["pay_ratio"].lower == pytest.approx(366.0)
    assert by_measure["pay_ratio"].upper == pytest.approx(366.0)
    assert by_measure["respondents"].lower == by_measure["respondents"].upper == 4
    assert not any(f.passed for f in findings)


DIFFERENCING = {
    ("Libraries", "LGPS open"): 10,
    ("Libraries", "LGPS closed"): 10,
    ("Leisure", "LGPS open"): 10,
    ("Leisure", "LGPS closed"): 10,
}


def second_publication():
    """Seven of the first publication's Libraries members in the closed scheme have left (their
    records erased), and two new members have joined Libraries' open scheme."""
    first = grid(DIFFERENCING)
    kept = [
        c
        for i, c in enumerate(first)
        if not (
            c.attributes["service_area"] == "Libraries"
            and c.attributes["pension"] == "LGPS closed"
            and i % 10 < 7
        )
    ]
    return [*kept, *grid({("Libraries", "LGPS open"): 2}, cohort=2)]


def test_differencing_against_an_earlier_publication_is_seen_and_prevented():
    specs = [PENSION_BY_AREA]
    first = protect(grid(DIFFERENCING), specs, RULES)
    assert not [c for c in first.cells if c.suppressed]
    earlier = published(first, specs)
    contributions = second_publication()
    assert (
        cell(
            protect(contributions, specs, RULES, number=2).cells, ("Libraries",), "LGPS closed"
        ).suppressed
        == "primary"
    )

    alone = protect(contributions, specs, RULES, number=2)
    assert all(f.passed for f in audit([published(alone, specs, 2)], RULES))
    against_first = audit([earlier, published(alone, specs, 2)], RULES)
    (leak,) = [f for f in against_first if f.row == ("Libraries",) and f.column == "LGPS closed"]
    assert leak.number == 2
    assert leak.upper - leak.lower < RULES.min_respondents
    assert not leak.passed

    guarded = protect(contributions, specs, RULES, earlier=[earlier], number=2)
    assert sum(bool(c.suppressed) for c in guarded.cells) > sum(
        bool(c.suppressed) for c in alone.cells
    )
    findings = audit([earlier, published(guarded, specs, 2)], RULES)
    assert findings
    assert all(f.passed for f in findings)


def test_the_warm_solver_agrees_with_linprog(monkeypatch):
    specs = [
        PENSION_BY_AREA,
        TableSpec("by-kind", "By kind", ("provider_kind",), "pension", None),
    ]
    contributions = [
        Contribution({"service_area": area, "provider_kind": kind, "pension": pension}, {}, 1)
        for i, (area, kind, pension) in enumerate(
            (a, k, p)
            for a in ("Libraries", "Leisure", "Parks")
            for k in ("Mutual", "Company")
            for p in ("LGPS open", "LGPS closed", "Employer scheme")
        )
        for _ in range(1 + (i * 7) % 9)
    ]
    release = published(protect(contributions, specs, RULES), specs)
    warm = audit([release], RULES)
    monkeypatch.setattr(audit_module, "COLD", True)
    cold = audit([release], RULES)
    assert len(warm) > 3
    assert [(f.lower, f.upper) for f in warm] == [(f.lower, f.upper) for f in cold]


def test_publications_must_come_in_order_and_with_their_own_basis():
    first = protect(grid(DIFFERENCING), [PENSION_BY_AREA], RULES)
    with pytest.raises(ValueError, match="not earlier"):
        protect(
            grid(DIFFERENCING),
            [PENSION_BY_AREA],
            RULES,
            earlier=[published(first, [PENSION_BY_AREA])],
            number=1,
        )
    with pytest.raises(ValueError, match="basis of 1"):
        audit([Released(2, [PENSION_BY_AREA], first.cells, first.basis)], RULES)


# Random tables and random sequences of publications.

ATTRIBUTES = {
    "provider_kind": ["Mutual", "Company", "Contractor"],
    "service_area": ["Libraries", "Leisure"],
    "period": ["Before transfer", "After transfer"],
    "pension": ["LGPS open", "LGPS closed", "Employer scheme", "None"],
}
MENU = [
    TableSpec("pension-by-kind", "Pension by kind", ("provider_kind",), "pension", None),
    TableSpec(
        "pension-by-area-period",
        "Pension by area and period",
        ("service_area", "period"),
        "pension",
        None,
    ),
    TableSpec("area-by-kind", "Service area by kind", ("provider_kind",), "service_area", None),
    TableSpec("pay-by-kind", "Pay ratio by kind", ("provider_kind",), None, "pay_ratio"),
    TableSpec("headcount-by-area", "Headcount by area", ("service_area",), None, "headcount"),
]


@st.composite
def contributor(draw, cohort=1):
    attributes = {
        name: draw(
            st.one_of(st.none(), st.sampled_from(values))
            if name == "pension"
            else st.sampled_from(values)
        )
        for name, values in ATTRIBUTES.items()
    }
    magnitudes = {
        "pay_ratio": draw(st.one_of(st.none(), st.floats(50, 150))),
        "headcount": draw(st.one_of(st.none(), st.floats(1, 2000))),
    }
    return Contribution(attributes, magnitudes, cohort)


@st.composite
def history(draw):
    """Up to three publications: each keeps some of the last one's contributors (the rest left)
    and adds new ones, counted first by it; each publishes the last one's tables or others."""
    tables = st.lists(st.sampled_from(MENU), min_size=1, max_size=3, unique=True)
    k = draw(st.integers(5, 8))
    publications = [(draw(tables), draw(st.lists(contributor(1), min_size=0, max_size=30)))]
    for number in range(2, draw(st.integers(1, 3)) + 1):
        specs, last = publications[-1]
        kept = [c for c in last if draw(st.booleans()) or draw(st.booleans())]
        added = draw(st.lists(contributor(number), max_size=12))
        publications.append((specs if draw(st.booleans()) else draw(tables), kept + added))
    return Rules(min_respondents=k), publications


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history())
def test_no_sequence_of_protected_publications_lets_the_audit_narrow_a_suppressed_cell(drawn):
    rules, publications = drawn
    released: list[Released] = []
    for number, (specs, contributions) in enumerate(publications, start=1):
        try:
            protected = protect(contributions, specs, rules, earlier=released, number=number)
        except RuntimeError as refused:
            # Erasures can leave a cell that earlier releases already pin within its
            # protection, whatever is withheld now: the release is refused, and nothing is
            # stored (publish() says so as PublicationRefused). What was released stays safe.
            assert "whatever this publication suppresses" in str(refused)  # noqa: PT017
            break
        released.append(published(protected, specs, number))
    findings = audit(released, rules)
    assert all(f.passed for f in findings), [f for f in findings if not f.passed]
    for finding in findings:
        assert finding.lower - 1e-6 <= finding.true_value <= finding.upper + 1e-6


@settings(max_examples=25, deadline=None)
@given(st.lists(contributor(1), min_size=1, max_size=40), st.data())
def test_the_audit_pins_any_lone_suppressed_cell_beside_published_margins(contributions, data):
    spec = MENU[0]
    everything = protect(contributions, [spec], Rules(min_respondents=5))
    body = [c for c in everything.cells if c.column != TOTAL and c.row[0] != TOTAL]
    truth = {
        (c.row, c.column): n
        for (c, n) in zip(everything.cells, true_counts(everything, spec), strict=True)
    }
    nonzero = [c for c in body if truth[(c.row, c.column)]]
    if not nonzero:
        return
    lone = data.draw(st.sampled_from(nonzero))
    cells = [
        dataclasses.replace(c, respondents=None, suppressed="primary")
        if c is lone
        else dataclasses.replace(c, respondents=truth[(c.row, c.column)], suppressed="")
        for c in everything.cells
    ]
    (finding,) = audit([Released(1, [spec], cells, everything.basis)], RULES)
    assert finding.lower == finding.upper == finding.true_value == truth[(lone.row, lone.column)]
    assert not finding.passed


def true_counts(protected, spec):
    """Each cell's true respondents, from the basis the audit itself uses."""
    model = audit_module.Model([published(protected, [spec])], RULES)
    publication = model.publications[1]
    return [int(publication.true_value(i, "respondents")) for i in range(len(protected.cells))]
