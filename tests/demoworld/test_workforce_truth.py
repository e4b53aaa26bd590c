"""The demo world's workforce records: known truth, answers within the instrument's limits,
drawn from their own streams, and loaded as sealed records held by branches following the
arrangement's council, once."""

import dataclasses
import datetime
import math
from pathlib import Path

import orjson
import pytest

from mutualwatch.branches.models import Branch
from mutualwatch.demoworld.loading import load_workforce
from mutualwatch.demoworld.parameters import CENSUS_DATE, world_parameters
from mutualwatch.demoworld.randomness import stream
from mutualwatch.demoworld.workforce import RECORDS_FILE, TRUTH_FILE, poisson
from mutualwatch.demoworld.world import generate_world
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Arrangement
from mutualwatch.workforce import crypto
from mutualwatch.workforce.instrument import TimePoint, check_terms
from mutualwatch.workforce.models import Origin, Publication, TermsRecord
from tests.demoworld.conftest import TINY_SEED, read_json_lines, read_register
from tests.demoworld.test_determinism import fingerprints


def truth_of(world: Path) -> dict:
    return orjson.loads((world / TRUTH_FILE).read_bytes())


def test_the_stated_parameters_are_written_with_the_world(tiny_world: Path):
    document = orjson.loads((tiny_world / "parameters.json").read_bytes())
    stated = document["workforce"]
    assert stated["pension_closed_within_3_years"] == {"spin-out": 0.4, "outsourcing": 0.7}
    assert stated["members_answering_mean"] == 12.0
    assert truth_of(tiny_world)["parameters"] == stated


def test_every_record_is_of_a_lasting_transfer_in_the_register_and_within_the_limits(
    tiny_world: Path,
):
    arrangements = {
        record["uid"]: record
        for record in read_register(tiny_world)
        if record["record_type"] == "arrangement"
    }
    records = list(read_json_lines(tiny_world / RECORDS_FILE))
    assert len(records) == truth_of(tiny_world)["records"] > 500
    for record in records:
        arrangement = arrangements[record["arrangement"]]
        assert arrangement["origin"] in {"spin-out", "outsourcing"}
        assert arrangement["staff_transferred"]
        start = datetime.date.fromisoformat(arrangement["start"])
        observed_on = (
            datetime.date.fromisoformat(record["observed_on"]) if record["observed_on"] else None
        )
        clean = check_terms(
            record["answers"],
            time_point=record["time_point"],
            observed_on=observed_on,
            arrangement_start=start,
        )
        assert clean == record["answers"]
        if record["given_by"] == "questionnaire" and record["time_point"] == TimePoint.DATED:
            # Members answer for their job three years or more after transfer, before the census.
            assert observed_on is not None
            assert (observed_on - start).days >= 3 * 365
            assert observed_on <= CENSUS_DATE


def test_the_truth_lists_each_arrangement_and_the_members_answering(tiny_world: Path):
    truth = truth_of(tiny_world)
    records = list(read_json_lines(tiny_world / RECORDS_FILE))
    for arrangement in truth["arrangements"]:
        own = [r for r in records if r["arrangement"] == arrangement["arrangement"]]
        members_now = [
            r for r in own if r["given_by"] == "questionnaire" and r["time_point"] == "dated"
        ]
        assert len(members_now) == arrangement["members"]
        assert bool(own) == arrangement["covered"]
        assert arrangement["covered"] == (arrangement["authority"] in truth["followed_councils"])
        for record in members_now:
            changed = arrangement["pension_change_years"] is not None
            assert record["answers"]["pension"] == (
                arrangement["pension_after"] if changed else "lgps"
            )
    realised = truth["realised"]["spin-out"]
    covered = [a for a in truth["arrangements"] if a["covered"] and a["origin"] == "spin-out"]
    assert realised["arrangements"] == len(covered)
    assert realised["members"] == sum(a["members"] for a in covered)


def test_officers_observe_headcount_from_the_staff_transferred(tiny_world: Path):
    truth = {a["arrangement"]: a for a in truth_of(tiny_world)["arrangements"]}
    before = [
        r
        for r in read_json_lines(tiny_world / RECORDS_FILE)
        if r["given_by"] == "officer" and r["time_point"] == TimePoint.BEFORE
    ]
    assert before
    for record in before:
        assert record["answers"]["headcount"] == truth[record["arrangement"]]["staff_transferred"]
        assert record["answers"]["hourly_pay"] == record["answers"]["council_hourly_pay"]


def test_the_poisson_draw_has_the_stated_mean():
    rng = stream(3, "test", "poisson")
    draws = [poisson(rng, 12.0) for _ in range(20_000)]
    mean = sum(draws) / len(draws)
    assert mean == pytest.approx(12.0, abs=4 * math.sqrt(12.0 / len(draws)))


def test_the_arrangement_draws_recover_the_stated_closure_share():
    """Many arrangements drawn as the world draws them land on the stated share."""
    from mutualwatch.demoworld.histories import Source, Spell
    from mutualwatch.demoworld.workforce import arrangement_terms

    parameters = world_parameters(TINY_SEED, "tiny").workforce
    source = Source("s", "t", "p", "u", "council-paper", datetime.date(2010, 1, 1))
    trials = 20_000
    closed = 0
    for index in range(trials):
        spell = Spell(
            f"arrangement-{index}", "X06000001", "libraries", "p", "cic",
            datetime.date(2010, 1, 1), "spin-out", source, staff_transferred=40,
        )  # fmt: skip
        terms = arrangement_terms(spell, parameters, 5, covered=True)
        if terms.pension_change_years is not None:
            assert 0 <= terms.pension_change_years <= 3
            closed += 1
    expected = parameters.pension_closed_within_3_years["spin-out"]
    tolerance = 4 * math.sqrt(expected * (1 - expected) / trials)
    assert closed / trials == pytest.approx(expected, abs=tolerance)


@pytest.mark.django_db
def test_loading_seals_the_records_for_branches_following_each_council_once(tiny_world: Path):
    import_register(tiny_world / "register.json")
    said: list[str] = []
    load_workforce(tiny_world, said.append)
    records = TermsRecord.objects.select_related("arrangement__authority", "branch")
    assert records.count() == truth_of(tiny_world)["records"]
    for record in records:
        assert record.origin == Origin.DEMO
        assert record.branch.authorities.filter(pk=record.arrangement.authority_id).exists()
        assert "pension" not in record.sealed_answers
        assert isinstance(crypto.unseal(record.sealed_answers), dict)
    assert Branch.objects.count() == len(truth_of(tiny_world)["followed_councils"])
    publication = Publication.objects.get()
    suppressed = sum(1 for cell in publication.cells if cell["suppressed"])
    assert said == [
        f"Workforce records: {records.count():,} fictional members' and officers' records loaded.",
        f"Workforce tables: {len(publication.cells):,} cells published from "
        f"{records.count():,} records, {suppressed:,} suppressed to protect members.",
    ]
    assert not TermsRecord.objects.filter(first_published__isnull=True).exists()

    said.clear()
    load_workforce(tiny_world, said.append)
    assert said == ["Workforce records: 0 fictional members' and officers' records loaded."]
    assert TermsRecord.objects.count() == truth_of(tiny_world)["records"]
    assert Publication.objects.count() == 1


@pytest.mark.django_db
def test_a_world_generated_before_workforce_records_says_so(tiny_world: Path, tmp_path: Path):
    said: list[str] = []
    load_workforce(tmp_path, said.append)
    assert said == [
        "Workforce records: none in this world (it was generated before they were added); "
        "generate it again to see them."
    ]
    assert not Arrangement.objects.exists()


def test_the_workforce_draws_leave_the_rest_of_the_world_unchanged(tiny_world: Path, tmp_path):
    """Other workforce rates give other records, and not one other byte of the world."""
    parameters = world_parameters(TINY_SEED, "tiny")
    others = dataclasses.replace(
        parameters.workforce, branch_coverage_share=1.0, members_answering_mean=3.0
    )
    generate_world(dataclasses.replace(parameters, workforce=others), tmp_path)
    first, second = fingerprints(tiny_world), fingerprints(tmp_path)
    own = {"parameters.json", RECORDS_FILE, TRUTH_FILE}
    assert {name for name in first if first[name] != second.get(name)} == own
    assert set(first) == set(second)
