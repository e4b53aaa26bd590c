"""Money and dates as people read them."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.dates import day as day_text
from mutualwatch.dates import partial_day as partial_day_text
from mutualwatch.publishing.formatting import NBSP, money_full, money_short

AMOUNTS = st.decimals(
    min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False
)
SCALE = {"k": Decimal(1_000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}


def _read(text: str) -> Decimal:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-").removeprefix("£").replace(",", "")
    for suffix, scale in sorted(SCALE.items(), key=lambda item: -len(item[0])):
        if digits.endswith(suffix):
            return sign * Decimal(digits.removesuffix(suffix)) * scale
    return sign * Decimal(digits)


@given(AMOUNTS)
def test_the_full_amount_reads_back_exactly(amount):
    assert _read(money_full(amount, "GBP")) == amount


@given(AMOUNTS)
def test_the_short_amount_is_within_half_a_unit_of_its_last_digit(amount):
    text = money_short(amount, "GBP")
    shown = _read(text)
    if abs(amount) < 10_000:
        assert abs(shown - amount) <= Decimal("0.5")
    else:
        suffix = next(s for s in ("bn", "m", "k") if text.endswith(s))
        assert abs(shown - amount) <= SCALE[suffix] * Decimal("0.05")
        assert not any(f"1{sep}000{unit}" in text for sep in ("", ",") for unit in ("k", "m"))


def test_the_figures_people_see():
    assert money_short(Decimal("10145000.00"), "GBP") == "£10.1m"
    assert money_full(Decimal("10145000.00"), "GBP") == "£10,145,000"
    assert money_short(999_960, "GBP") == "£1m"
    assert money_full(Decimal("1234.50"), "GBP") == "£1,234.50"
    assert money_short(5_000_000, "NOK") == f"5m{NBSP}NOK"
    assert money_short(None) == ""


@given(st.dates())
def test_a_date_never_breaks_across_lines(day):
    text = day_text(day)
    assert " " not in text
    assert text.endswith(str(day.year))


def test_a_partial_date_says_only_what_is_known():
    day = datetime.date(2014, 4, 1)
    assert partial_day_text(day, "year") == "2014"
    assert partial_day_text(day, "month") == f"April{NBSP}2014"
    assert partial_day_text(day, "day") == f"1{NBSP}April{NBSP}2014"
    assert partial_day_text(None, "day") == ""
