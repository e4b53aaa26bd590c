"""What became of them: the whole fates analysis, from spells to a publishable document.

Pure: ``analyse`` takes spells and the cut-off and returns a JSON-ready dict (stored by
``services.refresh_fates``, written by ``mutualwatch analyse-fates``, read by the pages). The
statistics come from ``statistics``; the rules for when a figure is too uncertain to print are
here, once:

- a group with fewer than ``MIN_SPELLS`` spells gets no figures at all;
- an estimate at a horizon needs at least ``MIN_AT_RISK`` spells still followed at that horizon
  (transferred that long before the cut-off and not yet exited);
- the median time to first exit is "not reached" while more than half are still with the
  provider they were transferred to.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from mutualwatch.analysis import statistics
from mutualwatch.analysis.spells import (
    COMPETING_EXITS,
    EXIT_CODES,
    EXIT_LABELS,
    Exit,
    Spell,
    spin_outs,
)
from mutualwatch.register.labels import legal_form_label, service_area_label

FORMAT = "mutualwatch-fates"
FORMAT_VERSION = 1
MIN_SPELLS = 20
MIN_AT_RISK = 10
HORIZONS = (5.0, 10.0)
#: Years at which the number at risk is tabulated under each chart.
AT_RISK_YEARS = (0, 5, 10, 15, 20, 25)
# A service area or legal form with fewer spells than this is pooled as "other" in the Cox
# model, so that no covariate rests on a handful of spells.
COX_MIN_GROUP = 30
REFERENCE_FORM = "public-service-mutual"


def _durations(spells: Sequence[Spell]) -> list[float]:
    return [spell.years for spell in spells]


def at_risk(spells: Iterable[Spell], years: float) -> int:
    """Spells still followed at ``years`` after transfer: neither exited nor censored before."""
    return sum(1 for spell in spells if spell.years >= years)


def _at_risk_table(spells: Sequence[Spell]) -> list[dict[str, float]]:
    return [{"years": years, "at_risk": at_risk(spells, years)} for years in AT_RISK_YEARS]


def survival_curve(spells: Sequence[Spell], label: str) -> dict[str, object]:
    """Kaplan-Meier of staying with the provider the service was transferred to."""
    if len(spells) < MIN_SPELLS:
        return {"label": label, "spells": len(spells), "too_few": True}
    curve = statistics.kaplan_meier(_durations(spells), [s.exited for s in spells], label)
    return curve.as_dict() | {"too_few": False, "at_risk_table": _at_risk_table(spells)}


def incidence_curves(spells: Sequence[Spell], label: str) -> dict[str, object]:
    """Aalen-Johansen cumulative incidence of each competing exit."""
    if len(spells) < MIN_SPELLS:
        return {"label": label, "spells": len(spells), "too_few": True, "exits": {}}
    durations = _durations(spells)
    codes = [int(spell.exit) for spell in spells]
    exits = {}
    for exit_ in COMPETING_EXITS:
        curve = statistics.cumulative_incidence(durations, codes, int(exit_), EXIT_LABELS[exit_])
        exits[EXIT_CODES[exit_]] = curve.as_dict() | {"at_risk_table": _at_risk_table(spells)}
    return {"label": label, "spells": len(spells), "too_few": False, "exits": exits}


def _grouped(spells: Iterable[Spell], key: Callable[[Spell], str]) -> dict[str, list[Spell]]:
    groups: dict[str, list[Spell]] = defaultdict(list)
    for spell in spells:
        groups[key(spell)].append(spell)
    return dict(sorted(groups.items()))


def _estimate(
    exit_: Exit,
    label: str,
    spells: Sequence[Spell],
    curve: statistics.Curve | None,
    years: float,
) -> dict[str, object]:
    figure: dict[str, object] = {
        "key": f"{EXIT_CODES[exit_]}-{years:g}-years",
        "exit": EXIT_CODES[exit_],
        "label": label,
        "years": years,
        "spells": len(spells),
        "value": None,
        "lower": None,
        "upper": None,
    }
    if curve is None:
        return figure | {
            "status": "too-few",
            "reason": f"fewer than {MIN_SPELLS} spin-outs in the register ({len(spells)})",
        }
    followed = at_risk(spells, years)
    figure["at_risk"] = followed
    if followed < MIN_AT_RISK:
        return figure | {
            "status": "too-few",
            "reason": f"only {followed} spin-outs followed for {years:g} years "
            f"(at least {MIN_AT_RISK} needed)",
        }
    point = curve.at(years)
    return figure | {
        "status": "estimate",
        "value": round(point.estimate, 6),
        "lower": round(point.lower, 6),
        "upper": round(point.upper, 6),
    }


def headline(spells: Sequence[Spell]) -> list[dict[str, object]]:
    """The figures the public can quote, for spun-out services, each with its interval and the
    number of spells behind it, or the reason there is none."""
    chosen = spin_outs(spells)
    enough = len(chosen) >= MIN_SPELLS
    durations = _durations(chosen)
    codes = [int(spell.exit) for spell in chosen]
    figures = []
    for exit_, wording in (
        (Exit.PRIVATE, "under private control"),
        (Exit.IN_HOUSE, "back in-house"),
        (Exit.CLOSED, "closed"),
    ):
        curve = (
            statistics.cumulative_incidence(durations, codes, int(exit_), EXIT_LABELS[exit_])
            if enough
            else None
        )
        for years in HORIZONS:
            figures.append(
                _estimate(
                    exit_,
                    f"Share of spun-out services {wording} {years:g} years after transfer",
                    chosen,
                    curve,
                    years,
                )
            )
    figures.append(median_first_exit(chosen))
    return figures


def median_first_exit(chosen: Sequence[Spell]) -> dict[str, object]:
    figure: dict[str, object] = {
        "key": "median-years-to-first-exit",
        "label": "Median time from transfer to the first exit (private control, back in-house "
        "or closed), in years",
        "years": None,
        "spells": len(chosen),
        "value": None,
        "lower": None,
        "upper": None,
    }
    if len(chosen) < MIN_SPELLS:
        return figure | {
            "status": "too-few",
            "reason": f"fewer than {MIN_SPELLS} spin-outs in the register ({len(chosen)})",
        }
    median, lower, upper = statistics.kaplan_meier_median(
        _durations(chosen), [s.exited for s in chosen]
    )
    if not math.isfinite(median):
        longest = max(spell.years for spell in chosen)
        return figure | {
            "status": "not-reached",
            "reason": f"more than half were still with their first provider at the end of "
            f"follow-up ({longest:.1f} years at the longest)",
            "lower": round(lower, 6) if math.isfinite(lower) else None,
        }
    return figure | {
        "status": "estimate",
        "value": round(median, 6),
        "lower": round(lower, 6) if math.isfinite(lower) else None,
        "upper": round(upper, 6) if math.isfinite(upper) else None,
    }


def cox_covariates(chosen: Sequence[Spell]) -> dict[str, list[float]]:
    """Indicator columns for legal form (against public service mutuals) and service area
    (against every area with too few spells, pooled), network membership at transfer, and size
    as log2 of staff transferred (unknown sizes take the median, flagged by an indicator)."""
    columns: dict[str, list[float]] = {}
    forms = {s.legal_form for s in chosen} - {REFERENCE_FORM}
    for form in sorted(forms):
        columns[f"legal form: {legal_form_label(form)}"] = [
            float(s.legal_form == form) for s in chosen
        ]
    by_area = _grouped(chosen, lambda s: s.service_area)
    large = sorted(area for area, group in by_area.items() if len(group) >= COX_MIN_GROUP)
    # With every area large, the first is the reference; otherwise the pooled small ones are.
    if len(large) == len(by_area):
        large = large[1:]
    for area in large:
        columns[f"service area: {service_area_label(area)}"] = [
            float(s.service_area == area) for s in chosen
        ]
    columns["Co-operative Councils Network member"] = [float(s.network_member) for s in chosen]
    known = sorted(s.staff_transferred for s in chosen if s.staff_transferred)
    if known:
        middle = known[len(known) // 2]
        columns["log2 staff transferred"] = [
            math.log2(s.staff_transferred or middle) for s in chosen
        ]
        columns["staff transferred unknown"] = [float(not s.staff_transferred) for s in chosen]
    return columns


def cox(spells: Sequence[Spell]) -> dict[str, object]:
    """Cause-specific Cox model of passing to private control, among spin-outs."""
    chosen = spin_outs(spells)
    outcome = "passing to private control (spin-outs; other exits censor)"
    events = [spell.exit == Exit.PRIVATE for spell in chosen]
    if len(chosen) < MIN_SPELLS or sum(events) < MIN_AT_RISK:
        return {
            "outcome": outcome,
            "spells": len(chosen),
            "events": sum(events),
            "terms": [],
            "concordance": None,
            "notes": [
                f"not fitted: a model needs at least {MIN_SPELLS} spin-outs and "
                f"{MIN_AT_RISK} passing to private control"
            ],
        }
    return statistics.cox_model(
        _durations(chosen), events, cox_covariates(chosen), outcome
    ).as_dict()


def analyse(spells: Sequence[Spell], cut_off: datetime.date) -> dict[str, object]:
    """The fates analysis of these spells, as a JSON-ready document."""
    chosen = spin_outs(spells)
    outsourced = [spell for spell in spells if spell.origin == "outsourcing"]
    counts = {
        code: sum(1 for s in chosen if EXIT_CODES[s.exit] == code) for code in EXIT_CODES.values()
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "cut_off": cut_off.isoformat(),
        "rules": {
            "min_spells": MIN_SPELLS,
            "min_at_risk": MIN_AT_RISK,
            "confidence": 1 - statistics.ALPHA,
        },
        "spells": {
            "all": len(spells),
            "spin_outs": len(chosen),
            "outsourcings": len(outsourced),
            "spin_out_exits": counts,
        },
        "headline": headline(spells),
        "survival": {
            "spin_outs": survival_curve(chosen, "All spin-outs"),
            "by_legal_form": [
                survival_curve(group, form)
                for form, group in _grouped(chosen, lambda s: s.legal_form).items()
            ],
            "by_service_area": [
                survival_curve(group, area)
                for area, group in _grouped(chosen, lambda s: s.service_area).items()
            ],
        },
        "incidence": {
            "spin_outs": incidence_curves(chosen, "All spin-outs"),
            "outsourcings": incidence_curves(outsourced, "All outsourcings"),
            "by_legal_form": [
                incidence_curves(group, form)
                for form, group in _grouped(chosen, lambda s: s.legal_form).items()
            ],
            "by_network": [
                incidence_curves(group, label)
                for label, group in _grouped(
                    chosen,
                    lambda s: (
                        "Co-operative Councils Network members"
                        if s.network_member
                        else "Other councils"
                    ),
                ).items()
            ],
        },
        "cox": cox(spells),
    }
