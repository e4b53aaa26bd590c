"""The statistics: lifelines' own data through mutualwatch's code give lifelines' own curves;
warnings become notes; the too-few rules say so instead of printing a number."""

import datetime
import math
import warnings

import numpy as np
import pytest
from lifelines import AalenJohansenFitter, CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.utils import median_survival_times

from mutualwatch.analysis import fates, statistics
from mutualwatch.analysis.spells import Exit, Spell


@pytest.fixture(scope="module")
def waltons():
    data = load_waltons()
    return data["T"].tolist(), data["E"].tolist(), data["group"].tolist()


def test_kaplan_meier_on_waltons_is_lifelines_own(waltons):
    durations, events, groups = waltons
    for group in sorted(set(groups)):
        chosen = [i for i, g in enumerate(groups) if g == group]
        t = [durations[i] for i in chosen]
        e = [bool(events[i]) for i in chosen]
        ours = statistics.kaplan_meier(t, e, group)
        theirs = KaplanMeierFitter().fit(t, e, label=group)
        assert [p.years for p in ours.points] == theirs.survival_function_.index.tolist()
        np.testing.assert_allclose(
            [p.estimate for p in ours.points], theirs.survival_function_[group].to_numpy()
        )
        band = theirs.confidence_interval_survival_function_.to_numpy()
        np.testing.assert_allclose([p.lower for p in ours.points][1:], band[1:, 0])
        np.testing.assert_allclose([p.upper for p in ours.points][1:], band[1:, 1])
        at_risk = theirs.event_table["at_risk"].to_numpy()
        assert [p.at_risk for p in ours.points] == at_risk.tolist()
        assert ours.spells == len(t)
        assert ours.events == sum(e)


def test_median_on_waltons_is_lifelines_own(waltons):
    durations, events, _groups = waltons
    theirs = KaplanMeierFitter().fit(durations, events)
    bounds = median_survival_times(theirs.confidence_interval_)
    assert statistics.kaplan_meier_median(durations, [bool(e) for e in events]) == (
        theirs.median_survival_time_,
        bounds.iloc[0, 0],
        bounds.iloc[0, 1],
    )


def test_cumulative_incidence_on_waltons_is_lifelines_own(waltons):
    # Waltons has one kind of death; the group makes a second, competing kind of exit.
    durations, events, groups = waltons
    exits = [
        0 if not e else (1 if g == "control" else 2) for e, g in zip(events, groups, strict=True)
    ]
    separated = statistics.separate_tied_exits(durations, exits)
    for exit_ in (1, 2):
        ours = statistics.cumulative_incidence(durations, exits, exit_, "ours")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no ties are left for lifelines to jitter
            theirs = AalenJohansenFitter().fit(separated, exits, event_of_interest=exit_)
        np.testing.assert_allclose(
            [p.estimate for p in ours.points], theirs.cumulative_density_.iloc[:, 0].to_numpy()
        )
        raw = theirs.confidence_interval_cumulative_density_.to_numpy()
        defined = (
            ~np.isnan(raw).any(axis=1) & (theirs.cumulative_density_.iloc[:, 0] > 0).to_numpy()
        )
        defined &= theirs.cumulative_density_.iloc[:, 0].to_numpy() < 1
        np.testing.assert_allclose(
            np.array([p.lower for p in ours.points])[defined], raw.min(axis=1)[defined]
        )
        np.testing.assert_allclose(
            np.array([p.upper for p in ours.points])[defined], raw.max(axis=1)[defined]
        )
        assert all(p.lower <= p.estimate <= p.upper for p in ours.points)
        assert ours.notes == []


def test_tied_exits_of_different_kinds_are_moved_apart_in_a_fixed_order():
    separated = statistics.separate_tied_exits([1.0, 1.0, 1.0, 2.0, 2.0], [1, 2, 0, 3, 3])
    assert separated == [1.0, 1.0 + statistics.TIE_SEPARATION, 1.0, 2.0, 2.0]


def test_a_cox_model_on_rossi_is_lifelines_own_with_its_assumption_checks():
    rossi = load_rossi()
    names = ["fin", "age", "prio"]
    ours = statistics.cox_model(
        rossi["week"].tolist(), (rossi["arrest"] == 1).tolist(),
        {name: rossi[name].tolist() for name in names}, "arrest",
    )  # fmt: skip
    theirs = CoxPHFitter().fit(rossi[[*names, "week", "arrest"]], "week", "arrest")
    assert [t.covariate for t in ours.terms] == names
    np.testing.assert_allclose(
        [t.hazard_ratio for t in ours.terms], theirs.summary["exp(coef)"].to_numpy()
    )
    age = next(t for t in ours.terms if t.covariate == "age")
    # Rossi's age is lifelines' own textbook case of a non-proportional hazard.
    assert age.ph_p < 0.05
    assert ours.as_dict()["terms"][1]["proportional_hazards_doubtful"] is True


def test_lifelines_warnings_become_notes_and_constant_covariates_are_left_out():
    durations = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    events = [True, True, False, True, True, False, True, True]
    # `spread` separates the exits perfectly: lifelines warns about convergence.
    covariates = {"spread": [0, 0, 1, 0, 0, 1, 0, 0], "same": [1.0] * 8}
    result = statistics.cox_model(durations, events, covariates, "exit")
    assert any("do not vary: same" in note for note in result.notes)
    assert any("Warning" in note for note in result.notes), result.notes


def spell(years: float, exit_: Exit, origin: str = "spin-out") -> Spell:
    start = datetime.date(2010, 1, 1)
    return Spell(
        "a", "X", "libraries", "p", "cic", origin, start, "day",
        start + datetime.timedelta(days=round(years * 365.25)), exit_, "", None, False,
    )  # fmt: skip


def test_too_few_spells_say_so_instead_of_a_number():
    spells = [spell(3.0, Exit.PRIVATE) for _ in range(fates.MIN_SPELLS - 1)]
    figures = fates.headline(spells)
    assert {f["status"] for f in figures} == {"too-few"}
    assert all(f["value"] is None and "fewer than 20" in f["reason"] for f in figures)


def test_a_horizon_with_too_few_still_followed_says_so():
    # Thirty spin-outs, none followed as long as ten years.
    spells = [spell(2.0 + i / 10, Exit.PRIVATE if i % 3 == 0 else Exit.CENSORED) for i in range(30)]
    spells += [spell(6.0, Exit.CENSORED) for _ in range(fates.MIN_AT_RISK)]
    by_key = {f["key"]: f for f in fates.headline(spells)}
    assert by_key["private-5-years"]["status"] == "estimate"
    assert by_key["private-5-years"]["at_risk"] == fates.MIN_AT_RISK
    assert by_key["private-10-years"]["status"] == "too-few"
    assert "only 0 spin-outs followed for 10 years" in by_key["private-10-years"]["reason"]
    assert by_key["median-years-to-first-exit"]["status"] == "not-reached"


def test_a_headline_share_is_the_aalen_johansen_estimate_with_its_interval():
    spells = [
        spell(1.0 + i / 4, [Exit.PRIVATE, Exit.IN_HOUSE, Exit.CENSORED][i % 3]) for i in range(60)
    ]
    by_key = {f["key"]: f for f in fates.headline(spells)}
    curve = statistics.cumulative_incidence(
        [s.years for s in spells], [int(s.exit) for s in spells], int(Exit.PRIVATE), "x"
    )
    figure = by_key["private-5-years"]
    assert figure["value"] == pytest.approx(curve.at(5.0).estimate, abs=1e-6)
    assert figure["lower"] < figure["value"] < figure["upper"]
    assert figure["spells"] == 60
    assert math.isfinite(by_key["median-years-to-first-exit"]["value"])
