"""How money reads wherever a person reads it: the one home of that style (dates have theirs,
``mutualwatch.dates``).

Money is shown short (``£10.1m``) where it is scanned and in full (``£10,145,000``) where it is
checked.
"""

from decimal import ROUND_HALF_UP, Decimal

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
NBSP = "\u00a0"
_SCALES = ((Decimal(1_000_000_000), "bn"), (Decimal(1_000_000), "m"), (Decimal(1_000), "k"))


def _with_currency(number: str, currency: str) -> str:
    symbol = SYMBOLS.get(currency.upper())
    if symbol:
        return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
    return f"{number}{NBSP}{currency.upper()}" if currency else number


def money_full(amount: Decimal | float | int | None, currency: str = "GBP") -> str:
    """``£10,145,000``; pence only when there are any (``£1,234.50``)."""
    if amount is None:
        return ""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        number = f"{value:,.0f}"
    else:
        number = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
    return _with_currency(number, currency)


def money_short(amount: Decimal | float | int | None, currency: str = "GBP") -> str:
    """``£10.1m``, ``£950k``, ``£2.5bn``, ``£3m``; under ten thousand, to the pound."""
    if amount is None:
        return ""
    value = Decimal(str(amount))
    if abs(value) < 10_000:
        return _with_currency(f"{value.quantize(Decimal(1), ROUND_HALF_UP):,.0f}", currency)
    scale, suffix = next(s for s in _SCALES if abs(value) >= s[0])
    scaled = (value / scale).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if abs(scaled) >= 1000 and suffix != "bn":
        # 999,960 is "£1m", not "£1000k".
        scale, suffix = _SCALES[_SCALES.index((scale, suffix)) - 1]
        scaled = (value / scale).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return _with_currency(f"{scaled:,.1f}".removesuffix(".0") + suffix, currency)
