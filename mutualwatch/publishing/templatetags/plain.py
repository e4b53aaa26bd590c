"""Money and dates as people read them (``publishing.formatting``), for templates:
``{{ award.value_amount|money:award.value_currency }}``, ``{{ award.date|day }}``."""

import datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from mutualwatch.publishing.formatting import day_text, money_full, money_short, partial_day_text

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "GBP") -> SafeString | str:
    """Short, with the full amount on hover and for screen readers: ``£10.1m``."""
    if amount is None:
        return ""
    full = money_full(amount, currency or "GBP")
    short = money_short(amount, currency or "GBP")
    if full == short:
        return full
    return format_html('<abbr title="{}">{}</abbr>', full, short)


@register.filter(name="money_full")
def money_in_full(amount: Decimal | None, currency: str = "GBP") -> str:
    return money_full(amount, currency or "GBP")


@register.filter
def day(value: datetime.date | datetime.datetime | str | None) -> str:
    """``5 Dec 2026``; a published ISO timestamp is read to its day."""
    if isinstance(value, str):
        try:
            return day_text(datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return str(value)
    return day_text(value)


@register.filter
def partial_day(value: datetime.date | None, precision: str) -> str:
    return partial_day_text(value, precision)


@register.filter
def percent(share: float | None) -> str:
    """A share as a whole percentage: ``0.213`` is ``21%``."""
    return "" if share is None else f"{round(share * 100):d}%"
