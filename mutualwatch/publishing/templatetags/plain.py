"""Money and shares as people read them (``publishing.formatting``), for templates:
``{{ award.value_amount|money:award.value_currency }}``; dates are ``dates``' ``|day``."""

from decimal import Decimal
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from mutualwatch.procurement.standard import code_title
from mutualwatch.publishing.formatting import money_full, money_short

register = template.Library()


def money_html(amount: Decimal | None, currency: str = "GBP") -> str:
    """Short, with the full amount on hover and for screen readers: ``£10.1m``; escaped."""
    if amount is None:
        return ""
    full = money_full(amount, currency or "GBP")
    short = money_short(amount, currency or "GBP")
    if full == short:
        return escape(full)
    return f'<abbr title="{escape(full)}">{escape(short)}</abbr>'


@register.filter
def money(amount: Decimal | None, currency: str = "GBP") -> SafeString:
    return mark_safe(money_html(amount, currency))  # noqa: S308 (escaped in money_html)


@register.filter(name="money_full")
def money_in_full(amount: Decimal | None, currency: str = "GBP") -> str:
    return money_full(amount, currency or "GBP")


@register.filter
def percent(share: float | None) -> str:
    """A share as a whole percentage: ``0.213`` is ``21%``."""
    return "" if share is None else f"{round(share * 100):d}%"


@register.filter
def procurement_method(code: str) -> str:
    """An OCDS procurement method by its title in the standard: ``open`` is "Open"."""
    return code_title("method.csv", code) if code else ""
