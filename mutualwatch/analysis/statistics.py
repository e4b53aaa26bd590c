"""Survival statistics of spells, through lifelines: the only module that imports it.

Everything here takes plain sequences (durations in years, exit codes) and returns plain
dataclasses, so that the rest of mutualwatch never sees a lifelines object or a DataFrame, and
swapping the library would touch this file alone.

lifelines warns about numerical trouble (a Cox model that converges badly, a covariate with
almost no variation). Those warnings are not errors in our data: each fit runs under
``recorded_warnings``, which turns every warning into a note published with the result.
"""

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# lifelines ships no type information.
from lifelines import (  # type: ignore[import-untyped]
    AalenJohansenFitter,
    CoxPHFitter,
    KaplanMeierFitter,
)
from lifelines.exceptions import ConvergenceError  # type: ignore[import-untyped]
from lifelines.statistics import proportional_hazard_test  # type: ignore[import-untyped]
from lifelines.utils import median_survival_times  # type: ignore[import-untyped]

ALPHA = 0.05
#: When exits of different kinds fall at the same time, Aalen-Johansen needs them apart; they
#: are moved this far (about three seconds, in years) in a fixed order, never at random.
TIE_SEPARATION = 1e-7


@dataclass(frozen=True)
class CurvePoint:
    years: float
    estimate: float
    lower: float
    upper: float
    at_risk: int


@dataclass
class Curve:
    """A step function of time since transfer, with its 95% band, from a fitted estimator."""

    label: str
    spells: int
    events: int
    points: list[CurvePoint]
    notes: list[str] = field(default_factory=list)

    def at(self, years: float) -> CurvePoint:
        """The curve's value just after ``years`` (the last step at or before it)."""
        current = self.points[0]
        for point in self.points:
            if point.years > years:
                break
            current = point
        return current

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "spells": self.spells,
            "events": self.events,
            "notes": self.notes,
            "points": [
                {
                    "years": round(p.years, 6),
                    "estimate": round(p.estimate, 6),
                    "lower": round(p.lower, 6),
                    "upper": round(p.upper, 6),
                    "at_risk": p.at_risk,
                }
                for p in self.points
            ],
        }


@contextmanager
def recorded_warnings(notes: list[str]) -> Iterator[None]:
    """Run a fit, keeping each warning it raises as a note instead of letting it escape."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        text = f"{warning.category.__name__}: {' '.join(str(warning.message).split())}"
        if text not in notes:
            notes.append(text)


def _finite(value: float, fallback: float) -> float:
    return float(value) if math.isfinite(float(value)) else fallback


def _points(estimate: pd.Series, band: pd.DataFrame, at_risk: pd.Series) -> list[CurvePoint]:
    lower = band.iloc[:, 0].to_numpy()
    upper = band.iloc[:, 1].to_numpy()
    values = estimate.to_numpy()
    times = estimate.index.to_numpy()
    risk = at_risk.reindex(estimate.index).ffill().fillna(0).to_numpy()
    points = []
    for time, value, low, high, n in zip(times, values, lower, upper, risk, strict=True):
        share = float(value)
        low, high = _finite(low, share), _finite(high, share)
        if not low <= share <= high:
            # Where the band is undefined (no exit yet, or every spell gone) it is the estimate.
            low = high = share
        points.append(CurvePoint(float(time), share, low, high, int(n)))
    return points


def kaplan_meier(durations: Sequence[float], exited: Sequence[bool], label: str) -> Curve:
    """Kaplan-Meier survival: the share still with the provider it was transferred to,
    with lifelines' log(-log) 95% band and the number at risk at each step."""
    notes: list[str] = []
    with recorded_warnings(notes):
        fitter = KaplanMeierFitter(alpha=ALPHA).fit(
            list(durations), event_observed=list(exited), label=label
        )
    points = _points(
        fitter.survival_function_[label],
        fitter.confidence_interval_survival_function_,
        fitter.event_table["at_risk"],
    )
    return Curve(label, len(durations), int(sum(exited)), points, notes)


def kaplan_meier_median(
    durations: Sequence[float], exited: Sequence[bool]
) -> tuple[float, float, float]:
    """The median survival time and its 95% interval; ``inf`` where a curve never reaches
    one half within the follow-up."""
    with recorded_warnings([]):
        fitter = KaplanMeierFitter(alpha=ALPHA).fit(list(durations), event_observed=list(exited))
        bounds = median_survival_times(fitter.confidence_interval_)
    return (
        float(fitter.median_survival_time_),
        float(bounds.iloc[0, 0]),
        float(bounds.iloc[0, 1]),
    )


def separate_tied_exits(durations: Sequence[float], exits: Sequence[int]) -> list[float]:
    """Durations with exits of different kinds at the same time moved apart, by kind.

    lifelines' Aalen-Johansen fitter would otherwise jitter them at random; a fixed order keeps
    every published figure reproducible. Exit k moves by (k - 1) * TIE_SEPARATION.
    """
    kinds_at: dict[float, set[int]] = {}
    for duration, exit_ in zip(durations, exits, strict=True):
        if exit_:
            kinds_at.setdefault(duration, set()).add(exit_)
    return [
        duration + (exit_ - 1) * TIE_SEPARATION
        if exit_ and len(kinds_at[duration]) > 1
        else duration
        for duration, exit_ in zip(durations, exits, strict=True)
    ]


def cumulative_incidence(
    durations: Sequence[float], exits: Sequence[int], exit_of_interest: int, label: str
) -> Curve:
    """Aalen-Johansen cumulative incidence of one exit, the others competing, with lifelines'
    delta-method 95% band on the log(-log) scale."""
    notes: list[str] = []
    separated = separate_tied_exits(durations, exits)
    with recorded_warnings(notes):
        fitter = AalenJohansenFitter(alpha=ALPHA, calculate_variance=True).fit(
            separated, list(exits), event_of_interest=exit_of_interest, label=label
        )
    # lifelines labels this band's bounds the wrong way round; take them by value.
    raw = fitter.confidence_interval_cumulative_density_.to_numpy()
    band = pd.DataFrame(
        {"lower": np.fmin(raw[:, 0], raw[:, 1]), "upper": np.fmax(raw[:, 0], raw[:, 1])},
        index=fitter.confidence_interval_cumulative_density_.index,
    )
    points = _points(fitter.cumulative_density_.iloc[:, 0], band, fitter.event_table["at_risk"])
    events = sum(1 for exit_ in exits if exit_ == exit_of_interest)
    return Curve(label, len(durations), events, points, notes)


@dataclass(frozen=True)
class CoxTerm:
    covariate: str
    hazard_ratio: float
    lower: float
    upper: float
    p: float
    #: The proportional-hazards test on scaled Schoenfeld residuals (rank-transformed time).
    ph_statistic: float
    ph_p: float


@dataclass
class CoxResult:
    outcome: str
    spells: int
    events: int
    terms: list[CoxTerm]
    concordance: float | None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "spells": self.spells,
            "events": self.events,
            "concordance": self.concordance,
            "notes": self.notes,
            "terms": [
                {
                    "covariate": t.covariate,
                    "hazard_ratio": round(t.hazard_ratio, 6),
                    "lower": round(t.lower, 6),
                    "upper": round(t.upper, 6),
                    "p": round(t.p, 6),
                    "ph_statistic": round(t.ph_statistic, 6),
                    "ph_p": round(t.ph_p, 6),
                    "proportional_hazards_doubtful": t.ph_p < ALPHA,
                }
                for t in self.terms
            ],
        }


def cox_model(
    durations: Sequence[float],
    events: Sequence[bool],
    covariates: Mapping[str, Sequence[float]],
    outcome: str,
) -> CoxResult:
    """A Cox proportional-hazards model of one outcome, and its assumption check.

    Covariates that do not vary are left out (with a note). A model lifelines cannot fit is
    reported with a note and no terms, never raised.
    """
    notes: list[str] = []
    frame = pd.DataFrame(
        {name: np.asarray(values, dtype=float) for name, values in covariates.items()}
    )
    constant = [name for name in frame.columns if frame[name].nunique() < 2]
    if constant:
        notes.append(f"left out, as they do not vary: {', '.join(constant)}")
        frame = frame.drop(columns=constant)
    frame["_years"] = np.asarray(durations, dtype=float)
    frame["_event"] = np.asarray(events, dtype=int)
    result = CoxResult(outcome, len(frame), int(frame["_event"].sum()), [], None, notes)
    if frame.shape[1] == 2:
        notes.append("no covariate varies: no model fitted")
        return result
    fitter = CoxPHFitter(alpha=ALPHA)
    try:
        with recorded_warnings(notes):
            fitter.fit(frame, duration_col="_years", event_col="_event")
            test = proportional_hazard_test(fitter, frame, time_transform="rank")
    except ConvergenceError as error:
        notes.append(f"the model did not converge: {' '.join(str(error).split())[:300]}")
        return result
    summary = fitter.summary
    tests = test.summary
    for name in summary.index:
        row = summary.loc[name]
        result.terms.append(
            CoxTerm(
                covariate=str(name),
                hazard_ratio=float(row["exp(coef)"]),
                lower=float(row["exp(coef) lower 95%"]),
                upper=float(row["exp(coef) upper 95%"]),
                p=float(row["p"]),
                ph_statistic=float(tests.loc[name, "test_statistic"]),
                ph_p=float(tests.loc[name, "p"]),
            )
        )
    result.concordance = round(float(fitter.concordance_index_), 6)
    return result
