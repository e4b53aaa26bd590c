"""FOI deadlines against dates worked out by hand from the published bank holidays.

Each expected date is counted in the comment beside it: "(n)" is the n-th working day, "X" a day
that does not count. Two rules decide the counts (see ``foi.deadlines``):
* FOIA s.10(6), for English, Welsh and Northern Irish councils: a bank holiday in ANY part of
  the UK is not a working day, so Scottish and Northern Irish holidays stop an English clock;
* FOISA s.73, for Scottish councils: only Scottish bank holidays (and Christmas Day) stop it.
Day one is the first working day after the date of receipt; a request arriving on a
non-working day counts as received on the next working day.
"""

import datetime
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.foi import deadlines
from mutualwatch.foi.deadlines import State, status

D = datetime.date
NATIONS = ["england", "wales", "scotland", "northern-ireland", "fictional"]


@pytest.mark.parametrize(
    ("nation", "sent_on", "due_on"),
    [
        # Easter 2024: Good Friday 29 March, Easter Monday 1 April (England, Wales, NI).
        # Sent Thu 21 Mar: Fri 22 (1), Mon 25-Thu 28 (2-5), Fri 29 X, Mon 1 Apr X,
        # Tue 2-Fri 5 (6-9), 8-12 Apr (10-14), 15-19 Apr (15-19), Mon 22 Apr (20).
        ("england", D(2024, 3, 21), D(2024, 4, 22)),
        ("wales", D(2024, 3, 21), D(2024, 4, 22)),
        ("northern-ireland", D(2024, 3, 21), D(2024, 4, 22)),
        ("fictional", D(2024, 3, 21), D(2024, 4, 22)),
        # Scotland keeps Good Friday but not Easter Monday: Fri 22 (1), 25-28 Mar (2-5),
        # Fri 29 X, Mon 1 Apr (6), Tue 2-Fri 5 (7-10), 8-12 (11-15), 15-19 Apr (16-20).
        ("scotland", D(2024, 3, 21), D(2024, 4, 19)),
        # Sent on Saturday 23 March 2024: received Mon 25, so day one is Tue 26: 26-28 (1-3),
        # Fri 29 X, Mon 1 X, 2-5 Apr (4-7), 8-12 (8-12), 15-19 (13-17), 22-24 Apr (18-20).
        ("england", D(2024, 3, 23), D(2024, 4, 24)),
        # St Patrick's Day, Monday 17 March 2025 (NI): under FOIA it stops every FOIA clock.
        # Sent Mon 10 Mar: 11-14 (1-4), Mon 17 X, 18-21 (5-8), 24-28 (9-13), 31 Mar-4 Apr
        # (14-18), Mon 7 (19), Tue 8 Apr (20).
        ("northern-ireland", D(2025, 3, 10), D(2025, 4, 8)),
        ("england", D(2025, 3, 10), D(2025, 4, 8)),
        # Scotland counts Mon 17 Mar (5): one day sooner, Mon 7 April.
        ("scotland", D(2025, 3, 10), D(2025, 4, 7)),
        # The Battle of the Boyne, Saturday 12 July 2025, is kept on Monday 14 July (NI); the
        # Scottish summer bank holiday is Monday 4 August. Sent Mon 7 Jul, under FOIA:
        # 8-11 (1-4), Mon 14 X, 15-18 (5-8), 21-25 (9-13), 28 Jul-1 Aug (14-18), Mon 4 Aug X,
        # Tue 5 (19), Wed 6 Aug (20).
        ("northern-ireland", D(2025, 7, 7), D(2025, 8, 6)),
        ("england", D(2025, 7, 7), D(2025, 8, 6)),
        # Under FOISA, Mon 14 Jul counts (5) and Mon 4 Aug does not: 8-11 (1-4), 14-18 (5-9),
        # 21-25 (10-14), 28 Jul-1 Aug (15-19), Mon 4 X, Tue 5 Aug (20).
        ("scotland", D(2025, 7, 7), D(2025, 8, 5)),
        # Summer bank holidays 2024: Scotland Mon 5 August, elsewhere Mon 26 August.
        # Scotland, sent Mon 29 Jul: 30 Jul-2 Aug (1-4), Mon 5 X, 6-9 (5-8), 12-16 (9-13),
        # 19-23 (14-18), Mon 26 (19), Tue 27 Aug (20).
        ("scotland", D(2024, 7, 29), D(2024, 8, 27)),
        # England (FOIA: both Mondays are out): 30 Jul-2 Aug (1-4), Mon 5 X, 6-9 (5-8),
        # 12-16 (9-13), 19-23 (14-18), Mon 26 X, Tue 27 (19), Wed 28 Aug (20).
        ("england", D(2024, 7, 29), D(2024, 8, 28)),
        ("wales", D(2024, 7, 29), D(2024, 8, 28)),
        # St Andrew's Day, Saturday 30 November 2024, kept on Monday 2 December (Scotland),
        # then Christmas: Wed 25 and Thu 26 December, Wed 1 January 2025 and (Scotland)
        # Thu 2 January. Sent on St Andrew's Day itself: received Tue 3 Dec (Mon 2 X), so day
        # one is Wed 4: 4-6 (1-3), 9-13 (4-8), 16-20 (9-13), Mon 23 (14), Tue 24 (15),
        # 25 X, 26 X, Fri 27 (16), Mon 30 (17), Tue 31 (18), 1 Jan X, 2 Jan X, Fri 3 (19),
        # Mon 6 Jan 2025 (20).
        ("scotland", D(2024, 11, 30), D(2025, 1, 6)),
        # Sent to an English council on Mon 2 Dec 2024: a Scottish bank holiday, so under FOIA
        # not a working day either: received Tue 3, and the same count, Mon 6 January 2025.
        ("england", D(2024, 12, 2), D(2025, 1, 6)),
        # A Scottish council, sent Mon 25 Nov 2024: 26-29 Nov (1-4), Mon 2 Dec X, 3-6 (5-8),
        # 9-13 (9-13), 16-20 (14-18), Mon 23 (19), Tue 24 Dec 2024 (20).
        ("scotland", D(2024, 11, 25), D(2024, 12, 24)),
        # Christmas 2025: Thu 25, Fri 26 Dec; Thu 1 Jan 2026 and (Scotland) Fri 2 Jan.
        # Sent Mon 8 Dec 2025: 9-12 (1-4), 15-19 (5-9), 22-24 (10-12), 25 X, 26 X,
        # 29-31 (13-15), 1 Jan X, 2 Jan X, 5-8 Jan (16-19), Fri 9 Jan 2026 (20).
        ("england", D(2025, 12, 8), D(2026, 1, 9)),
        ("scotland", D(2025, 12, 8), D(2026, 1, 9)),
        ("northern-ireland", D(2025, 12, 8), D(2026, 1, 9)),
    ],
)
def test_response_due_on_known_dates(nation, sent_on, due_on):
    assert deadlines.response_due(sent_on, nation) == due_on


def test_the_calendars_hold_the_days_the_counts_rely_on():
    """The counts above lean on these days being (or not being) working days."""
    assert not deadlines.is_working_day(D(2024, 12, 2), "scotland")  # St Andrew's substitute
    assert not deadlines.is_working_day(D(2025, 12, 1), "scotland")  # 30 Nov 2025 is a Sunday
    assert not deadlines.is_working_day(D(2024, 4, 1), "northern-ireland")  # Easter Monday
    assert deadlines.is_working_day(D(2024, 4, 1), "scotland")
    assert not deadlines.is_working_day(D(2024, 7, 12), "england")  # the Boyne, under FOIA
    assert deadlines.is_working_day(D(2024, 7, 12), "scotland")
    assert deadlines.is_working_day(D(2024, 3, 18), "scotland")  # St Patrick's, kept Monday
    assert not deadlines.is_working_day(D(2024, 3, 18), "wales")
    assert D(2025, 1, 2) in deadlines.days_off("scotland", [2025])


def test_review_deadlines():
    # Asked for on Mon 22 Apr 2024 (England): 23-26 (1-4), 29 Apr-3 May (5-9), Mon 6 May
    # (early May bank holiday) X, 7-10 (10-13), 13-17 (14-18), Mon 20 (19), Tue 21 May (20).
    assert deadlines.review_due(D(2024, 4, 22), "england") == D(2024, 5, 21)
    # Answered Fri 19 Apr 2024 (Scotland): 40 working days to ask. 22 Apr-3 May (1-10),
    # Mon 6 May X, 7-10 (11-14), 13-24 May (15-24), Mon 27 May (spring) X, 28-31 (25-28),
    # 3-14 Jun (29-38), Mon 17 (39), Tue 18 June 2024 (40).
    assert deadlines.review_request_by(D(2024, 4, 19), "scotland") == D(2024, 6, 18)


@dataclass
class Dates:
    sent_on: datetime.date | None = None
    due_on: datetime.date | None = None
    responded_on: datetime.date | None = None
    review_requested_on: datetime.date | None = None
    review_due_on: datetime.date | None = None
    review_responded_on: datetime.date | None = None


def test_status_in_words():
    assert status(Dates(), D(2024, 4, 1), "england").state == State.DRAFT
    waiting = status(Dates(D(2024, 4, 1), D(2024, 4, 30)), D(2024, 4, 25), "england")
    # Thu 25 April to Tue 30 April: Fri 26, Mon 29, Tue 30.
    assert waiting.state == State.AWAITING_RESPONSE
    assert waiting.deadline_in_words() == "due Tuesday 30 April 2024 — 3 working days left"
    on_the_day = status(Dates(D(2024, 4, 1), D(2024, 4, 30)), D(2024, 4, 30), "england")
    assert on_the_day.deadline_in_words() == "due Tuesday 30 April 2024 — today is the last day"
    late = status(Dates(D(2024, 3, 21), D(2024, 4, 22)), D(2024, 4, 26), "england")
    # Due Mon 22 April; Tue 23 to Fri 26 are four working days late.
    assert (late.state, late.working_days, late.overdue) == (State.OVERDUE, 4, True)
    assert late.deadline_in_words() == "was due Monday 22 April 2024 — overdue by 4 working days"
    # The Saturday after a Friday deadline: overdue, though no working day has passed.
    weekend = status(Dates(D(2024, 3, 21), D(2024, 4, 19)), D(2024, 4, 20), "scotland")
    assert weekend.overdue
    assert weekend.deadline_in_words().endswith("— overdue")


def test_status_after_the_response():
    answered = Dates(D(2024, 3, 21), D(2024, 4, 19), responded_on=D(2024, 4, 19))
    state = status(answered, D(2024, 4, 22), "scotland")
    assert (state.state, state.deadline) == (State.ANSWERED, D(2024, 6, 18))
    assert status(answered, D(2024, 6, 19), "scotland") == deadlines.Status(State.ANSWERED)
    answered.review_requested_on = D(2024, 4, 22)
    answered.review_due_on = D(2024, 5, 21)
    assert status(answered, D(2024, 5, 21), "scotland").state == State.REVIEW_REQUESTED
    assert status(answered, D(2024, 5, 22), "scotland").state == State.REVIEW_OVERDUE
    answered.review_responded_on = D(2024, 5, 23)
    assert status(answered, D(2024, 5, 24), "scotland").state == State.REVIEW_ANSWERED


def test_counting_needs_at_least_one_day():
    with pytest.raises(ValueError, match="at least one"):
        deadlines.working_days_after(D(2024, 1, 1), 0, "england")


days = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))
nations = st.sampled_from(NATIONS)


@given(days, nations)
def test_due_date_is_a_working_day_after_sending(sent_on, nation):
    due = deadlines.response_due(sent_on, nation)
    assert deadlines.is_working_day(due, nation)
    assert due > sent_on


@given(days, nations)
def test_exactly_twenty_working_days_after_receipt(sent_on, nation):
    received = deadlines.date_of_receipt(sent_on, nation)
    due = deadlines.response_due(sent_on, nation)
    assert deadlines.working_days_between(received, due, nation) == 20


@given(days, days, nations)
def test_a_later_request_is_never_due_sooner(first, second, nation):
    earlier, later = sorted([first, second])
    assert deadlines.response_due(earlier, nation) <= deadlines.response_due(later, nation)


@given(days, st.integers(min_value=1, max_value=60), nations)
def test_counting_forward_and_back_agree(start, n, nation):
    assert (
        deadlines.working_days_between(
            start, deadlines.working_days_after(start, n, nation), nation
        )
        == n
    )
