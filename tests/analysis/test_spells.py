"""The spell rules on hand-made histories: no database, plain values."""

import datetime

import pytest

from mutualwatch.analysis.spells import (
    ArrangementRecord,
    ControlRecord,
    EventRecord,
    Exit,
    MembershipRecord,
    PartialDate,
    Precision,
    RegisterHistory,
    build_spells,
)

D = datetime.date
CUT_OFF = D(2025, 12, 31)


def arrangement(
    key: str, form: str, origin: str, start: D | PartialDate, **fields
) -> ArrangementRecord:
    values = {
        "key": key,
        "authority": "X06000001",
        "service_area": "libraries",
        "provider": f"p-{key}",
        "legal_form": form,
        "origin": origin,
        "start": start if isinstance(start, PartialDate) else PartialDate(start),
    }
    return ArrangementRecord(**(values | fields))


TRANSFER = D(2012, 4, 1)


def spin_out(start: D = TRANSFER, **fields) -> ArrangementRecord:
    return arrangement("a", "public-service-mutual", "spin-out", start, **fields)


def only_spell(*arrangements, events=(), controls=(), memberships=(), cut_off=CUT_OFF):
    history = RegisterHistory(
        cut_off, list(arrangements), list(events), list(controls), list(memberships)
    )
    spells = [spell for spell in build_spells(history) if spell.arrangement == "a"]
    assert len(spells) == 1
    return spells[0]


def test_a_spin_out_with_nothing_after_it_is_censored_at_the_cut_off():
    spell = only_spell(spin_out())
    assert (spell.exit, spell.end, spell.start) == (Exit.CENSORED, CUT_OFF, D(2012, 4, 1))
    assert spell.years == pytest.approx((CUT_OFF - D(2012, 4, 1)).days / 365.25)


def test_only_spin_outs_and_outsourcings_start_spells():
    def ends(year: int) -> PartialDate:
        return PartialDate(D(year, 1, 1))

    history = RegisterHistory(
        CUT_OFF,
        [
            arrangement("in", "in-house", "always-in-house", D(2000, 1, 1), end=ends(2010)),
            arrangement("so", "cic", "spin-out", D(2010, 1, 1), end=ends(2014)),
            arrangement("tr", "private-company", "transfer", D(2014, 1, 1), end=ends(2018)),
            arrangement("back", "in-house", "insourcing", D(2018, 1, 1), end=ends(2020)),
            arrangement("out", "private-company", "outsourcing", D(2020, 1, 1)),
        ],
    )  # fmt: skip
    spells = {s.arrangement: s for s in build_spells(history)}
    assert set(spells) == {"so", "out"}
    # The spin-out was re-let to a private company: the next arrangement says so.
    assert spells["so"].exit == Exit.PRIVATE
    assert spells["so"].end == D(2014, 1, 1)
    assert spells["out"].exit == Exit.CENSORED


def test_a_takeover_by_a_private_company_is_private_control_though_the_arrangement_goes_on():
    takeover = EventRecord(
        "takeover",
        PartialDate(D(2016, 5, 9)),
        arrangement="a",
        counterparty_legal_form="private-company",
    )
    spell = only_spell(spin_out(), events=[takeover])
    assert (spell.exit, spell.end) == (Exit.PRIVATE, D(2016, 5, 9))
    assert "takeover" in spell.evidence


def test_a_takeover_by_a_non_private_body_is_not_an_exit():
    merger = EventRecord(
        "takeover", PartialDate(D(2016, 5, 9)), provider="p-a", counterparty_legal_form="charity"
    )
    assert only_spell(spin_out(), events=[merger]).exit == Exit.CENSORED


def test_a_change_of_control_on_the_provider_ends_every_spell_it_holds():
    history = RegisterHistory(
        CUT_OFF,
        [
            spin_out(provider="shared"),
            arrangement("b", "public-service-mutual", "spin-out", D(2013, 1, 1), provider="shared",
                        service_area="leisure"),
        ],
        [EventRecord("change-of-control", PartialDate(D(2019, 3, 1)), provider="shared",
                     counterparty_legal_form="private-company")],
    )  # fmt: skip
    assert [s.exit for s in build_spells(history)] == [Exit.PRIVATE, Exit.PRIVATE]


def test_a_private_controller_recorded_after_the_transfer_is_private_control():
    control = ControlRecord("p-a", "private", PartialDate(D(2020, 1, 1), Precision.YEAR))
    spell = only_spell(spin_out(), controls=[control])
    # A year-precision date stands for the middle of the year (in a leap year, 1 July).
    assert (spell.exit, spell.end) == (Exit.PRIVATE, D(2020, 7, 1))


def test_a_private_controller_from_the_start_is_how_the_provider_began_not_an_exit():
    control = ControlRecord("p-a", "private", PartialDate(D(2012, 4, 1)))
    assert only_spell(spin_out(), controls=[control]).exit == Exit.CENSORED


def test_insolvency_wins_over_the_return_in_house_it_causes_on_the_same_day():
    day = D(2017, 8, 14)
    spell = only_spell(
        spin_out(end=PartialDate(day)),
        arrangement("back", "in-house", "insourcing", day),
        events=[EventRecord("insolvency", PartialDate(day), arrangement="a")],
    )
    assert (spell.exit, spell.end) == (Exit.CLOSED, day)


def test_insourcing_event_and_next_arrangement_in_house_are_a_return_in_house():
    by_event = only_spell(
        spin_out(), events=[EventRecord("insourcing", PartialDate(D(2015, 1, 1)), arrangement="a")]
    )
    by_arrangement = only_spell(
        spin_out(), arrangement("back", "in-house", "insourcing", D(2015, 1, 1))
    )
    assert by_event.exit == by_arrangement.exit == Exit.IN_HOUSE
    assert by_event.end == by_arrangement.end == D(2015, 1, 1)


def test_an_arrangement_that_ends_with_nothing_after_it_closed():
    spell = only_spell(spin_out(end=PartialDate(D(2019, 3, 1), Precision.MONTH)))
    # A month-precision date stands for the middle of the month.
    assert (spell.exit, spell.end) == (Exit.CLOSED, D(2019, 3, 16))


def test_an_end_followed_by_a_private_arrangement_a_year_later_is_not_read_as_a_re_let():
    spell = only_spell(
        spin_out(end=PartialDate(D(2015, 1, 1))),
        arrangement("later", "private-company", "outsourcing", D(2017, 1, 1)),
    )
    assert (spell.exit, spell.end) == (Exit.CLOSED, D(2015, 1, 1))


def test_a_move_to_another_independent_provider_censors():
    spell = only_spell(
        spin_out(end=PartialDate(D(2018, 6, 1))),
        arrangement("next", "charity", "transfer", D(2018, 6, 1)),
    )
    assert (spell.exit, spell.end) == (Exit.CENSORED, D(2018, 6, 1))
    assert spell.evidence == "passed to another independent provider"


def test_an_end_that_is_only_the_councils_abolition_is_not_an_exit():
    spell = only_spell(spin_out(end=PartialDate(D(2019, 3, 31)), ended_by_abolition=True))
    assert (spell.exit, spell.end) == (Exit.CENSORED, D(2019, 3, 31))
    assert "abolished" in spell.evidence


def test_an_exit_after_the_cut_off_is_not_yet_known():
    takeover = EventRecord(
        "takeover",
        PartialDate(D(2026, 3, 1)),
        arrangement="a",
        counterparty_legal_form="private-company",
    )
    spell = only_spell(spin_out(), events=[takeover])
    assert (spell.exit, spell.end) == (Exit.CENSORED, CUT_OFF)


def test_a_spin_out_after_the_cut_off_is_not_a_spell():
    history = RegisterHistory(CUT_OFF, [spin_out(start=D(2026, 2, 1))])
    assert build_spells(history) == []


def test_a_month_precision_exit_in_the_month_of_a_day_precision_start_stays_after_it():
    start = D(2014, 9, 20)
    takeover = EventRecord(
        "takeover", PartialDate(D(2014, 9, 1), Precision.MONTH), arrangement="a",
        counterparty_legal_form="private-company",
    )  # fmt: skip
    spell = only_spell(spin_out(start=start), events=[takeover])
    # Midway between the start (20th) and the end of the month (30th).
    assert spell.end == D(2014, 9, 25)
    assert spell.end > spell.start


def test_a_year_precision_start_is_mid_year_and_an_exit_in_that_year_comes_after_it():
    year_2011 = PartialDate(D(2011, 1, 1), Precision.YEAR)
    spell = only_spell(
        arrangement("a", "cic", "spin-out", year_2011),
        events=[EventRecord("dissolution", year_2011, arrangement="a")],
    )
    assert spell.start == D(2011, 7, 2)
    # The exit is placed midway between the start and the end of the year.
    assert (spell.exit, spell.end) == (Exit.CLOSED, D(2011, 10, 1))


def test_an_exit_recorded_on_the_transfer_day_lasts_one_day():
    day = D(2016, 3, 1)
    spell = only_spell(
        spin_out(start=day), events=[EventRecord("closure", PartialDate(day), arrangement="a")]
    )
    assert spell.exit == Exit.CLOSED
    assert spell.years == pytest.approx(1 / 365.25)


def test_a_re_tender_won_by_a_private_company_is_private_control():
    event = EventRecord(
        "re-tender",
        PartialDate(D(2021, 4, 1)),
        arrangement="a",
        counterparty_legal_form="private-company",
    )
    assert only_spell(spin_out(), events=[event]).exit == Exit.PRIVATE


def test_the_earliest_exit_wins():
    spell = only_spell(
        spin_out(),
        arrangement("back", "in-house", "insourcing", D(2022, 1, 1)),
        events=[EventRecord("dissolution", PartialDate(D(2020, 1, 1)), provider="p-a")],
    )
    assert (spell.exit, spell.end) == (Exit.CLOSED, D(2020, 1, 1))


def test_network_membership_is_read_at_the_transfer_date():
    memberships = [MembershipRecord("X06000001", D(2010, 1, 1), D(2013, 1, 1))]
    assert only_spell(spin_out(start=D(2012, 4, 1)), memberships=memberships).network_member
    assert not only_spell(spin_out(start=D(2014, 4, 1)), memberships=memberships).network_member


def test_the_rows_of_the_csv_name_every_column():
    spell = only_spell(spin_out(staff_transferred=120))
    row = spell.as_row()
    assert row["exit"] == "censored"
    assert row["staff_transferred"] == 120
    assert row["cooperative_councils_network"] == 0


def test_a_re_tender_of_one_contract_says_nothing_of_the_contractors_others():
    history = RegisterHistory(
        CUT_OFF,
        [
            arrangement("a", "private-company", "outsourcing", D(2012, 1, 1), provider="firm"),
            arrangement("b", "private-company", "outsourcing", D(2013, 1, 1), provider="firm",
                        authority="X06000002"),
        ],
        [
            EventRecord("re-tender", PartialDate(D(2018, 1, 1)), arrangement="b", provider="firm",
                        counterparty_legal_form="private-company"),
            EventRecord("insourcing", PartialDate(D(2019, 1, 1)), arrangement="b",
                        provider="firm"),
        ],
    )  # fmt: skip
    spells = {s.arrangement: s for s in build_spells(history)}
    assert spells["a"].exit == Exit.CENSORED
    assert (spells["b"].exit, spells["b"].end) == (Exit.PRIVATE, D(2018, 1, 1))


def test_an_insolvency_recorded_on_one_arrangement_closes_all_the_providers():
    history = RegisterHistory(
        CUT_OFF,
        [
            arrangement("a", "cic", "spin-out", D(2012, 1, 1), provider="cic"),
            arrangement("b", "cic", "spin-out", D(2013, 1, 1), provider="cic",
                        service_area="leisure"),
        ],
        [EventRecord("insolvency", PartialDate(D(2018, 1, 1)), arrangement="b", provider="cic")],
    )  # fmt: skip
    assert [s.exit for s in build_spells(history)] == [Exit.CLOSED, Exit.CLOSED]
