"""The true cumulative incidence follows from the hazards, and the simulation obeys it."""

import math

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.demoworld.histories import draw_exit
from mutualwatch.demoworld.parameters import (
    SIZES,
    default_exit_hazards,
    true_cumulative_incidence,
    world_parameters,
)
from mutualwatch.demoworld.randomness import stream

hazard_tables = st.dictionaries(
    st.sampled_from(["re-tendered", "taken-over", "insolvent", "dissolved", "insourced"]),
    st.floats(min_value=0.0, max_value=2.0),
    min_size=1,
)


@given(hazard_tables, st.floats(min_value=0.0, max_value=50.0))
def test_the_exits_share_the_chance_of_having_left(hazards, years):
    incidence = true_cumulative_incidence(hazards, years)
    left = 1 - math.exp(-sum(hazards.values()) * years)
    assert sum(incidence.values()) == pytest.approx(left, abs=1e-12)
    assert all(0.0 <= value <= 1.0 for value in incidence.values())


@given(hazard_tables, st.floats(min_value=0.0, max_value=20.0), st.floats(0.01, 5.0))
def test_cumulative_incidence_never_falls_with_time(hazards, years, later):
    before = true_cumulative_incidence(hazards, years)
    after = true_cumulative_incidence(hazards, years + later)
    assert all(after[exit_] >= before[exit_] for exit_ in hazards)


def test_one_exit_alone_is_the_exponential_distribution():
    assert true_cumulative_incidence({"insolvent": 0.1}, 5.0)["insolvent"] == pytest.approx(
        1 - math.exp(-0.5)
    )


@pytest.mark.parametrize("form", ["public-service-mutual", "cic", "trading-company"])
def test_simulated_exits_recover_the_true_five_year_incidence(form):
    """The draw the histories use, repeated, lands on the closed form (to sampling error)."""
    hazards = default_exit_hazards()[form]
    rng = stream(11, "test", form)
    trials = 40_000
    counts = dict.fromkeys(hazards, 0)
    for _ in range(trials):
        years, exit_ = draw_exit(rng, hazards)
        if years <= 5.0:
            counts[exit_] += 1
    for exit_, expected in true_cumulative_incidence(hazards, 5.0).items():
        tolerance = 4 * math.sqrt(expected * (1 - expected) / trials) + 1e-9
        assert counts[exit_] / trials == pytest.approx(expected, abs=tolerance), exit_


def test_parameters_json_holds_every_parameter(tiny_world):
    document = orjson.loads((tiny_world / "parameters.json").read_bytes())
    parameters = world_parameters(document["seed"], document["size"]["name"])
    assert document == {"format": "mutualwatch-demo-world", **parameters.as_document()}
    assert document["exit_hazards"]["cic"]["insolvent"] > 0
    assert set(document["true_cumulative_incidence_5_years"]) == set(document["exit_hazards"])


def test_sizes_are_as_the_issue_asks():
    assert SIZES["tiny"].councils == 5
    assert SIZES["demo"].councils == 50
    assert SIZES["national"].councils == 400
    assert SIZES["national"].register_companies == 5_000_000
    releases_lower_bound = (
        SIZES["national"].councils * SIZES["national"].background_procurements_per_council_year
        * 11 * 3
    )  # fmt: skip
    assert releases_lower_bound >= 1_000_000
