"""Money and shares as people read them (``publishing.formatting``), for templates:
``{{ award.value_amount|money:award.value_currency }}``; dates are ``dates``' ``|day``."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from mutualwatch.procurement.standard import code_title
from mutualwatch.publishing.formatting import money_full, money_short

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
def percent(share: float | None) -> str:
    """A share as a whole percentage: ``0.213`` is ``21%``."""
    return "" if share is None else f"{round(share * 100):d}%"


@register.filter
def procurement_method(code: str) -> str:
    """An OCDS procurement method by its title in the standard: ``open`` is "Open"."""
    return code_title("method.csv", code) if code else ""
