"""The fates in plain words: what the figures say, for people who do not read intervals.

Pure, and free of the statistics libraries, so that the pages and the printed packs can use it:
``plain_share`` names a share as "about 1 in 5", ``percent_interval`` an interval as whole
percentages, and ``national_sentences`` turns a fates result (the analysis document or the
page's figures, which carry the same ``spells``, ``rules`` and ``headline``) into one sentence
per fate. Nothing here is a figure of its own: every number comes from the result.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: What each competing exit (``spells.EXIT_CODES``) means, as the end of "about 1 in 5 ...".
FATE_WORDS = {
    "private": "had passed to private control",
    "in-house": "had come back in-house",
    "closed": "had closed",
}
#: The exits in the order the sentences give them: takeovers first, as the page's charts do.
FATE_ORDER = ("private", "in-house", "closed")
# "About 1 in N" is said for any N up to this; below 1 in this many the words say "fewer than".
SMALLEST_NAMED = 100
# Fractions people read without a calculator, besides every "1 in N".
PLAIN_FRACTIONS = (
    (2, 5), (3, 10), (2, 3), (3, 5), (7, 10), (3, 4), (4, 5), (9, 10),
)  # fmt: skip


@dataclass(frozen=True)
class PlainShare:
    """A share as words: ``qualifier count in out_of`` ("about 1 in 5", "fewer than 1 in 100"),
    or "none" and "all" for the shares that are exactly nought and one."""

    qualifier: str
    count: int
    out_of: int

    @property
    def fraction(self) -> float:
        """The share the words name."""
        return self.count / self.out_of

    @property
    def words(self) -> str:
        if self.out_of == 1:
            return "none" if self.count == 0 else "all"
        return f"{self.qualifier} {self.count} in {self.out_of}"


def _candidates() -> list[tuple[int, int]]:
    ones = [(1, out_of) for out_of in range(2, SMALLEST_NAMED + 1)]
    # Simpler fractions first, so that a tie goes to the one with the smaller denominator.
    return sorted([*ones, *PLAIN_FRACTIONS], key=lambda pair: pair[1])


CANDIDATES = _candidates()


def plain_share(share: float) -> PlainShare:
    """``share`` (0 to 1) as the nearest fraction people say: "about 1 in 5", "about 2 in 3".

    A share of exactly 0 or 1 is "none" or "all"; one below 1 in 100 is "fewer than 1 in 100"
    and one above 9 in 10 "more than 9 in 10", because "about" would round a rare or a near
    universal fate to a plain fraction it is not."""
    if not math.isfinite(share) or not 0 <= share <= 1:
        raise ValueError(f"a share is between 0 and 1, not {share}")
    if share == 0:
        return PlainShare("", 0, 1)
    if share == 1:
        return PlainShare("", 1, 1)
    if share < 1 / SMALLEST_NAMED:
        return PlainShare("fewer than", 1, SMALLEST_NAMED)
    if share > 9 / 10:
        return PlainShare("more than", 9, 10)
    count, out_of = min(CANDIDATES, key=lambda pair: abs(pair[0] / pair[1] - share))
    return PlainShare("about", count, out_of)


def whole_percent_bounds(lower: float, upper: float) -> tuple[int, int]:
    """An interval in whole percentages, widened outward (lower down, upper up), so that the
    printed interval always holds the computed one. Figures are stored to six decimals; a bound
    within a millionth of a whole percentage is that percentage."""
    low = math.floor(round(lower * 100, 4))
    high = math.ceil(round(upper * 100, 4))
    return max(low, 0), min(high, 100)


def percent_interval(lower: float, upper: float, confidence: float = 0.95) -> str:
    """The interval as the sentences give it: "95% interval 18", an en dash, "26%"."""
    low, high = whole_percent_bounds(lower, upper)
    level = f"{round(confidence * 100):d}% interval"
    # An interval of one value (no exit of a kind yet: the estimator gives no width) is that value.
    return f"{level} {low}%" if low == high else f"{level} {low}\N{EN DASH}{high}%"


def _services(count: int) -> str:
    return f"{count} service{'' if count == 1 else 's'} spun out"


def fate_of(figure: Mapping[str, Any]) -> str | None:
    """The exit a headline figure is about: stored as ``exit`` since it was added; before, only
    in its key (``private-5-years``)."""
    if figure.get("years") is None:
        return None
    exit_code = figure.get("exit") or str(figure["key"]).removesuffix(f"-{figure['years']:g}-years")
    return exit_code if exit_code in FATE_WORDS else None


def _fate_sentence(
    fate: str, figures: Sequence[Mapping[str, Any]], rules: Mapping[str, Any], opening: str
) -> str:
    """One fate at its first horizon, with the later horizons it can be told at."""
    confidence = float(rules.get("confidence", 0.95))
    first, *later = sorted(figures, key=lambda f: f["years"])
    if first["status"] != "estimate":
        followed = first.get("at_risk")
        return (
            f"{opening}too few have been followed for {first['years']:g} years to say how many "
            f"{FATE_WORDS[fate]} by then (only {followed} followed that long; at least "
            f"{rules['min_at_risk']} needed)."
        )
    share = plain_share(first["value"])
    sentence = (
        f"{opening}{share.words} {FATE_WORDS[fate]} within {first['years']:g} years "
        f"({percent_interval(first['lower'], first['upper'], confidence)})"
    )
    for figure in later:
        if figure["status"] == "estimate":
            share = plain_share(figure["value"])
            sentence += (
                f"; within {figure['years']:g} years, {share.words} "
                f"({percent_interval(figure['lower'], figure['upper'], confidence)})"
            )
    return sentence + "."


def _median_sentence(figure: Mapping[str, Any]) -> str | None:
    if figure["status"] == "not-reached":
        return (
            "More than half were still with the provider they were transferred to at the end "
            "of follow-up."
        )
    if figure["status"] != "estimate":
        return None
    upper = figure.get("upper")
    until = "not yet known" if upper is None else f"{upper:.1f}"
    lower = figure.get("lower")
    since = "not known" if lower is None else f"{lower:.1f}"
    return (
        f"Half had left that provider (to private control, back in-house or by closing) within "
        f"about {figure['value']:.1f} years (95% interval {since} to {until} years)."
    )


def national_sentences(result: Mapping[str, Any]) -> list[str]:
    """What became of spun-out services nationally, one sentence per fate the result gives a
    figure for (private control, back in-house, closed), then the median time to the first exit;
    or one sentence saying there are too few to say anything.

    ``result`` is a fates analysis (``fates.analyse``) or the page's figures of one
    (``figures.page_figures``): both carry ``spells``, ``rules`` and ``headline``."""
    spun_out = int(result["spells"]["spin_outs"])
    rules = result["rules"]
    if spun_out < rules["min_spells"]:
        return [
            f"There are too few spun-out services in the register to say what became of them: "
            f"{_services(spun_out)}, and the figures need at least {rules['min_spells']}."
        ]
    by_fate: dict[str, list[Mapping[str, Any]]] = {}
    for figure in result["headline"]:
        fate = fate_of(figure)
        if fate is not None:
            by_fate.setdefault(fate, []).append(figure)
    sentences: list[str] = []
    for fate in FATE_ORDER:
        if fate in by_fate:
            opening = f"Of {_services(spun_out)}, " if not sentences else ""
            sentence = _fate_sentence(fate, by_fate[fate], rules, opening)
            sentences.append(sentence[0].upper() + sentence[1:])
    median = next((f for f in result["headline"] if f["key"] == "median-years-to-first-exit"), None)
    told = _median_sentence(median) if median is not None else None
    return [*sentences, *([told] if told else [])]
