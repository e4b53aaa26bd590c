"""The fates in plain words: the fraction named is close to the estimate, the edges (none, all,
rare, near universal) are said honestly, intervals are widened outward to whole percentages,
and a result too small to say anything says so."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.analysis.wording import (
    national_sentences,
    percent_interval,
    plain_share,
    whole_percent_bounds,
)

shares = st.floats(min_value=0, max_value=1, allow_nan=False)
named = st.floats(min_value=0.01, max_value=0.9, allow_nan=False)


@given(named)
def test_the_fraction_named_is_close_to_the_estimate(share):
    words = plain_share(share)
    assert words.qualifier == "about"
    assert abs(words.fraction - share) <= 0.05
    assert abs(words.fraction - share) <= 0.12 * share


@given(named)
def test_no_other_plain_fraction_is_nearer(share):
    words = plain_share(share)
    for out_of in range(2, 101):
        assert abs(words.fraction - share) <= abs(1 / out_of - share) + 1e-12


@given(named)
def test_the_words_are_about_one_fraction_in_its_lowest_terms(share):
    words = plain_share(share)
    assert re.fullmatch(r"about \d+ in \d+", words.words)
    assert math.gcd(words.count, words.out_of) == 1
    assert 0 < words.count < words.out_of <= 100


@given(st.floats(min_value=1e-9, max_value=1))
def test_a_share_below_one_in_a_hundred_is_never_rounded_to_a_fraction(share):
    words = plain_share(share / 100.0001)
    assert words.words == "fewer than 1 in 100"


@given(st.floats(min_value=0.9, max_value=1, exclude_min=True, exclude_max=True))
def test_a_share_above_nine_in_ten_is_said_as_more_than(share):
    assert plain_share(share).words == "more than 9 in 10"


def test_nought_and_one_are_none_and_all():
    assert plain_share(0.0).words == "none"
    assert plain_share(1.0).words == "all"


@given(shares, shares)
def test_the_whole_percentages_hold_the_interval(a, b):
    lower, upper = sorted((a, b))
    low, high = whole_percent_bounds(lower, upper)
    assert 0 <= low <= high <= 100
    assert low <= lower * 100 + 1e-4
    assert high >= upper * 100 - 1e-4
    assert high - low <= math.ceil((upper - lower) * 100) + 2


@pytest.mark.parametrize("share", [-0.01, 1.01, math.nan, math.inf])
def test_a_share_outside_nought_to_one_is_refused(share):
    with pytest.raises(ValueError, match="between 0 and 1"):
        plain_share(share)


def test_an_interval_reads_as_whole_percentages():
    assert percent_interval(0.18, 0.263) == "95% interval 18\N{EN DASH}27%"
    assert percent_interval(0.0, 0.004) == "95% interval 0\N{EN DASH}1%"
    assert percent_interval(0.0, 0.0) == "95% interval 0%"


def figure(exit_code, years, value, lower, upper, at_risk=40, status="estimate"):
    return {
        "key": f"{exit_code}-{years:g}-years",
        "exit": exit_code,
        "years": years,
        "status": status,
        "value": value,
        "lower": lower,
        "upper": upper,
        "at_risk": at_risk,
    }


RULES = {"min_spells": 20, "min_at_risk": 10, "confidence": 0.95}


def test_too_few_spin_outs_say_so_in_one_sentence():
    result = {"spells": {"spin_outs": 7}, "rules": RULES, "headline": []}
    assert national_sentences(result) == [
        "There are too few spun-out services in the register to say what became of them: "
        "7 services spun out, and the figures need at least 20."
    ]


def test_too_few_followed_at_a_horizon_is_said_for_that_fate():
    result = {
        "spells": {"spin_outs": 30},
        "rules": RULES,
        "headline": [
            figure("private", 5.0, None, None, None, at_risk=6, status="too-few"),
            figure("private", 10.0, None, None, None, at_risk=2, status="too-few"),
        ],
    }
    assert national_sentences(result) == [
        "Of 30 services spun out, too few have been followed for 5 years to say how many had "
        "passed to private control by then (only 6 followed that long; at least 10 needed)."
    ]


@given(named, named)
def test_each_fate_is_one_sentence_with_its_figures(private, closed):
    result = {
        "spells": {"spin_outs": 489},
        "rules": RULES,
        "headline": [
            figure("private", 5.0, private, private * 0.8, min(1.0, private * 1.2)),
            figure("closed", 5.0, closed, closed * 0.8, min(1.0, closed * 1.2)),
            {"key": "median-years-to-first-exit", "years": None, "status": "not-reached"},
        ],
    }
    private_words, closed_words = plain_share(private).words, plain_share(closed).words
    assert national_sentences(result) == [
        f"Of 489 services spun out, {private_words} had passed to private control within "
        f"5 years ({percent_interval(private * 0.8, min(1.0, private * 1.2))}).",
        f"{closed_words[0].upper()}{closed_words[1:]} had closed within 5 years "
        f"({percent_interval(closed * 0.8, min(1.0, closed * 1.2))}).",
        "More than half were still with the provider they were transferred to at the end of "
        "follow-up.",
    ]


def test_figures_stored_before_the_exit_was_named_are_read_by_their_key():
    stored = figure("in-house", 5.0, 0.1, 0.07, 0.14)
    del stored["exit"]
    result = {"spells": {"spin_outs": 100}, "rules": RULES, "headline": [stored]}
    assert national_sentences(result) == [
        "Of 100 services spun out, about 1 in 10 had come back in-house within 5 years "
        "(95% interval 7\N{EN DASH}14%)."
    ]
