"""On worlds with known hazards, the 95% intervals cover the truth about 95% of the time.

Each of 200 seeded demo-size worlds is drawn in memory with the generator's own history
functions, turned into spells by the same rules as the register, and the 5-year cumulative
incidence of each exit estimated with its 95% interval, for spin-outs into public service
mutuals and for outsourcings to private companies. The truth is the generator's closed form
(`parameters.true_cumulative_incidence`): passing to private control is a re-tender or a
takeover, closure an insolvency or a dissolution.
"""

import pytest

from mutualwatch.analysis import statistics
from mutualwatch.analysis.spells import Exit, build_spells
from mutualwatch.demoworld.parameters import true_cumulative_incidence, world_parameters
from tests.analysis.worlds import drawn_history

WORLDS = 200
YEARS = 5.0
# (origin, legal form) of the spells followed.
GROUPS = (("spin-out", "public-service-mutual"), ("outsourcing", "private-company"))


def true_incidence(form: str) -> dict[Exit, float]:
    """The true 5-year cumulative incidence of each of our exits that can happen at all."""
    hazards = world_parameters(1, "demo").exit_hazards[form]
    truth = true_cumulative_incidence(hazards, YEARS)
    exits = {
        Exit.PRIVATE: truth["re-tendered"] + truth["taken-over"],
        Exit.IN_HOUSE: truth["insourced"],
        Exit.CLOSED: truth["insolvent"] + truth["dissolved"],
    }
    return {exit_: value for exit_, value in exits.items() if value > 0}


@pytest.mark.slow
def test_intervals_cover_the_true_five_year_cumulative_incidence_in_90_to_98_percent():
    truths = {group: true_incidence(group[1]) for group in GROUPS}
    covered = {(group, exit_): 0 for group, truth in truths.items() for exit_ in truth}
    smallest = dict.fromkeys(GROUPS, 10**6)
    for seed in range(1, WORLDS + 1):
        spells = build_spells(drawn_history(world_parameters(seed, "demo")))
        for group, truth in truths.items():
            chosen = [s for s in spells if (s.origin, s.legal_form) == group]
            smallest[group] = min(smallest[group], len(chosen))
            durations = [s.years for s in chosen]
            exits = [int(s.exit) for s in chosen]
            for exit_, true_value in truth.items():
                curve = statistics.cumulative_incidence(durations, exits, int(exit_), "x")
                point = curve.at(YEARS)
                covered[group, exit_] += point.lower <= true_value <= point.upper
    shares = {f"{group[1]} {exit_.label}": n / WORLDS for (group, exit_), n in covered.items()}
    assert min(smallest.values()) >= 100, f"too few spells per world: {smallest}"
    assert len(shares) == 5
    assert all(0.90 <= share <= 0.98 for share in shares.values()), shares
