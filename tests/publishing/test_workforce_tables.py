"""The protected tables as readers see them (``publishing.workforce``): pure, no database."""

import datetime

import pytest

from mutualwatch.publishing import workforce
from tests.publishing.workforce_world import (
    AFTER,
    BEFORE,
    CHARITY,
    DC,
    LGPS,
    LGPS_CLOSED,
    MUTUAL,
    NO_PENSION,
    PENSIONS,
    PRIVATE,
    SPECS,
    count_cells,
    mean_cells,
    standard_cells,
)


def release(cells=None, min_respondents=10, specs=SPECS) -> workforce.Release:
    return workforce.release_from(
        number=3,
        published_at=datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC),
        respondents=1234,
        rules={"min_respondents": min_respondents, "dominance": 0.9, "specs": specs},
        cells=standard_cells() if cells is None else cells,
    )


def test_a_release_is_named_as_every_figure_cites_it():
    assert release().name == (
        "Workforce tables, release 3, published 5\u00a0December\u00a02026, from 1,234 respondents"
    )


def test_withheld_cells_say_why_with_the_releases_own_k():
    shown = workforce.data_table(release(min_respondents=7), "pension-national")
    assert shown is not None
    before = shown.rows[0]
    assert before.labels == (BEFORE,)
    assert [cell.text for cell in before.cells] == [
        "120 (86%)",
        "14 (10%)",
        "fewer than 7",
        "withheld to protect another cell",
        "140",
    ]
    assert [cell.withheld for cell in before.cells] == [False, False, True, True, False]
    assert shown.column_titles == (*PENSIONS, "Total")


def test_rows_and_columns_follow_the_instruments_order_whatever_the_cells_order():
    cells = count_cells(
        "pension-by-provider-kind",
        {(PRIVATE, AFTER): [1, 2, 3, 4, 10], (PRIVATE, BEFORE): [5, 6, 7, 8, 26]},
        PENSIONS,
    )
    cells.reverse()
    shown = workforce.data_table(release(cells), "pension-by-provider-kind")
    assert shown is not None
    assert [row.labels for row in shown.rows] == [(PRIVATE, BEFORE), (PRIVATE, AFTER)]
    assert shown.column_titles == (LGPS, LGPS_CLOSED, DC, NO_PENSION, "Total")


def test_a_mean_table_shows_the_mean_and_its_respondents_or_why_not():
    shown = workforce.data_table(release(), "pay-by-provider-kind")
    assert shown is not None
    assert shown.column_titles == (
        "Hourly pay as a share of the council's rate for the same grade: mean",
        "Respondents",
    )
    texts = {row.labels: [cell.text for cell in row.cells] for row in shown.rows}
    assert texts[(MUTUAL, AFTER)] == ["94.4%", "55"]
    assert texts[(PRIVATE, AFTER)] == ["withheld: two answers make up over 90% of it", "withheld"]
    assert texts[(CHARITY, BEFORE)] == ["fewer than 10", "withheld"]


@pytest.mark.parametrize(("value", "text"), [(33.25, "33.3"), (36.5, "36.5"), (40.0, "40.0")])
def test_means_are_rounded_half_up(value, text):
    assert workforce.measure_text("hours", value) == text


def test_a_share_chart_draws_published_parts_and_the_withheld_rest_as_one():
    data = workforce.share_chart(release(), "pension-national")
    assert data is not None
    before = {r["category"]: r for r in data.rows if r["bar"] == BEFORE}
    assert before[LGPS]["share"] == pytest.approx(120 / 140, abs=1e-4)
    # 140 less the 134 published: the two withheld cells together, never each.
    assert before[workforce.WITHHELD]["respondents"] == 6
    assert DC not in before
    assert NO_PENSION not in before
    assert sum(r["share"] for r in before.values()) == pytest.approx(1, abs=1e-3)
    after = {r["category"]: r for r in data.rows if r["bar"] == AFTER}
    assert workforce.WITHHELD not in after
    assert list(data.colours)[-1] == workforce.WITHHELD


def test_a_row_whose_total_is_withheld_is_named_not_drawn():
    data = workforce.share_chart(release(), "pension-by-provider-kind")
    assert data is not None
    assert data.not_drawn == [f"{CHARITY}: before or at transfer", f"{CHARITY}: after transfer"]
    assert not any(r["bar"].startswith(CHARITY) for r in data.rows)


def test_the_summaries_compare_before_and_after_in_plain_words():
    pensions = workforce.share_chart(release(), "pension-by-provider-kind")
    assert pensions is not None
    assert pensions.summary == (
        f"Respondents whose pension was “{LGPS}”: {MUTUAL} 83% before or at transfer and 50% "
        f"after; {PRIVATE} 89% before or at transfer and 21% after."
    )
    pay = workforce.mean_chart(release(), "pay-by-provider-kind")
    assert pay is not None
    assert pay.summary.startswith(
        "Hourly pay as a share of the council's rate for the same grade, on average: "
        f"{MUTUAL} 100.2% before or at transfer and 94.4% after;"
    )
    assert pay.not_drawn == [f"{PRIVATE}: after transfer", f"{CHARITY}: before or at transfer"]


def test_a_table_with_nothing_published_says_so_rather_than_drawing_nothing():
    cells = count_cells("pension-national", {(BEFORE,): ["primary"] * 5}, PENSIONS)
    data = workforce.share_chart(release(cells), "pension-national")
    assert data is not None
    assert not data.rows
    assert data.summary == "Too few respondents for any share to be published."
    means = mean_cells("hours-by-provider-kind", "hours", {(MUTUAL, AFTER): "primary"})
    hours = workforce.mean_chart(release(means), "hours-by-provider-kind")
    assert hours is not None
    assert "too few respondents for any mean" in hours.summary


def test_a_table_the_release_does_not_hold_is_nothing():
    specs = [spec for spec in SPECS if spec["key"] != "hours-by-provider-kind"]
    assert workforce.data_table(release(specs=specs), "hours-by-provider-kind") is None
    assert workforce.mean_chart(release(specs=specs), "hours-by-provider-kind") is None


def test_a_councils_rows_need_one_published_cell():
    found = workforce.authority_rows(release(), "pension-by-authority", "Exemplar Borough Council")
    assert found is not None
    assert found.row_titles == ("When",)
    assert [row.labels for row in found.rows] == [(BEFORE,), (AFTER,)]
    assert found.rows[1].cells[0].text == "12 (40%)"
    assert workforce.authority_rows(release(), "pension-by-authority", "Quietshire Council") is None
    assert workforce.authority_rows(release(), "pension-by-authority", "Nowhere Council") is None


def test_the_packs_tables_keep_the_kinds_its_services_went_to_and_rows_with_figures():
    staff = workforce.council_staff(release(), "Exemplar Borough Council", [MUTUAL, CHARITY])
    assert staff.council is not None
    assert staff.national is not None
    assert [table.key for table in staff.by_kind] == list(workforce.KIND_TABLES)
    for table in staff.by_kind:
        kinds = {row.labels[0] for row in table.rows}
        assert PRIVATE not in kinds
        assert MUTUAL in kinds
    pensions = staff.by_kind[0]
    # The charity's rows have no published figure: left out.
    assert {row.labels[0] for row in pensions.rows} == {MUTUAL}
    pay = staff.by_kind[1]
    assert {row.labels for row in pay.rows} == {(MUTUAL, BEFORE), (MUTUAL, AFTER)}
    nowhere = workforce.council_staff(release(), "Nowhere Council", [])
    assert nowhere.council is None
    assert nowhere.by_kind == []


def test_the_csv_rows_leave_withheld_figures_empty_and_say_why():
    rows = workforce.csv_rows(release())
    assert len(rows) == len(standard_cells())
    withheld = [row for row in rows if row[6]]
    assert all(row[4] is None and row[5] is None for row in withheld)
    assert rows[0][:5] == ["pension-national", "Pensions, all transferred staff", BEFORE, LGPS, 120]
