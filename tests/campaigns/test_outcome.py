"""A case's outcome becomes a register event; verified and published, it is evidence the fates
analysis reads."""

import datetime

import pytest

from mutualwatch.analysis.loading import load_register_history
from mutualwatch.analysis.spells import Exit, build_spells
from mutualwatch.campaigns import services
from mutualwatch.campaigns.exceptions import ArrangementRequired, OutcomeAlreadyRecorded
from mutualwatch.campaigns.models import Outcome
from mutualwatch.register.exceptions import NotAllowed
from mutualwatch.register.models import ArrangementOrigin, Event
from mutualwatch.register.services import move_through_review
from tests.conftest import build_arrangement, build_source

CUT_OFF = datetime.date(2025, 1, 1)
BROUGHT_BACK_ON = datetime.date(2021, 4, 1)


def spell_of(arrangement):
    spells = build_spells(load_register_history(CUT_OFF))
    return next(spell for spell in spells if spell.arrangement == str(arrangement.uid))


def linked_case(world):
    officer = world.people["branch officer"]
    case = services.edit_case(officer, world.cases["home-private"], arrangement=world.arrangement)
    source = build_source(title="Cabinet minutes: libraries return in-house")
    services.add_document(officer, case, source=source)
    return officer, case, source


def test_a_verified_published_outcome_changes_the_fates_input(world, person, as_person):
    before = spell_of(world.arrangement)
    assert before.exit == Exit.CENSORED

    officer, case, source = linked_case(world)
    event = services.record_outcome(
        officer, case, outcome=Outcome.BROUGHT_BACK, date=BROUGHT_BACK_ON, source=source
    )
    assert (event.event_type, event.state, event.branch) == ("insourcing", "submitted", world.home)
    assert event.arrangement == world.arrangement
    assert event.source == source
    case.refresh_from_db()
    assert (case.outcome, case.outcome_on, case.outcome_event) == (
        "brought-back",
        BROUGHT_BACK_ON,
        event,
    )
    page = as_person(officer).get(f"/workspace/campaigns/{case.pk}/")
    assert "submitted for review" in page.text
    assert spell_of(world.arrangement).exit == Exit.CENSORED  # not evidence until published

    move_through_review(person("national researcher"), event, "verify")
    assert "verified" in as_person(officer).get(f"/workspace/campaigns/{case.pk}/").text
    move_through_review(person("national researcher"), event, "publish")
    assert (
        "published — now evidence"
        in as_person(officer).get(f"/workspace/campaigns/{case.pk}/").text
    )

    history = load_register_history(CUT_OFF)
    assert any(
        record.event_type == "insourcing" and record.arrangement == str(world.arrangement.uid)
        for record in history.events
    )
    after = spell_of(world.arrangement)
    assert after.exit == Exit.IN_HOUSE
    assert after.end == BROUGHT_BACK_ON
    assert before.end == CUT_OFF


def test_the_officer_may_not_verify_their_own_outcome(world):
    officer, case, source = linked_case(world)
    event = services.record_outcome(
        officer, case, outcome=Outcome.DELAYED, date=BROUGHT_BACK_ON, source=source
    )
    with pytest.raises(NotAllowed):
        move_through_review(officer, event, "verify")


@pytest.mark.parametrize(
    ("outcome", "origin", "event_type"),
    [
        (Outcome.BROUGHT_BACK, ArrangementOrigin.SPIN_OUT, "insourcing"),
        (Outcome.RETAINED, ArrangementOrigin.ALWAYS_IN_HOUSE, "retained-in-house"),
        (Outcome.DELAYED, ArrangementOrigin.SPIN_OUT, "transfer-delayed"),
        (Outcome.TRANSFERRED, ArrangementOrigin.SPIN_OUT, "spin-out"),
        (Outcome.TRANSFERRED, ArrangementOrigin.OUTSOURCING, "contract-award"),
    ],
)
def test_each_outcome_becomes_its_event_type(world, outcome, origin, event_type):
    arrangement = build_arrangement(
        authority=world.arrangement.authority,
        service_area=world.arrangement.service_area,
        origin=origin,
    )
    officer = world.people["branch officer"]
    case = services.edit_case(officer, world.cases["home-private"], arrangement=arrangement)
    event = services.record_outcome(
        officer, case, outcome=outcome, date=BROUGHT_BACK_ON, source=build_source()
    )
    assert event.event_type == event_type


def test_an_outcome_needs_the_arrangement_linked_first(world):
    officer = world.people["branch officer"]
    case = world.cases["home-private"]
    with pytest.raises(ArrangementRequired, match="in-house arrangement"):
        services.record_outcome(
            officer, case, outcome=Outcome.RETAINED, date=BROUGHT_BACK_ON, source=build_source()
        )
    assert not Event.objects.exists()
    case.refresh_from_db()
    assert case.outcome == ""


def test_the_case_page_explains_a_missing_arrangement(world, as_person):
    officer = world.people["branch officer"]
    case = world.cases["home-private"]
    source = build_source()
    services.add_document(officer, case, source=source)
    response = as_person(officer).post(
        f"/workspace/campaigns/{case.pk}/outcome/",
        {"outcome-outcome": "retained", "outcome-date": "2021-04-01", "outcome-source": source.pk},
    )
    assert response.status_code == 400
    assert "Link this case to the in-house arrangement in the register first" in response.text


def test_an_outcome_under_review_is_not_recorded_twice(world):
    officer, case, source = linked_case(world)
    services.record_outcome(
        officer, case, outcome=Outcome.DELAYED, date=BROUGHT_BACK_ON, source=source
    )
    with pytest.raises(OutcomeAlreadyRecorded):
        services.record_outcome(
            officer, case, outcome=Outcome.BROUGHT_BACK, date=BROUGHT_BACK_ON, source=source
        )
    assert Event.objects.count() == 1


def test_an_outcome_sent_back_is_corrected_in_its_own_event(world, person):
    officer, case, source = linked_case(world)
    first = services.record_outcome(
        officer, case, outcome=Outcome.DELAYED, date=BROUGHT_BACK_ON, source=source
    )
    move_through_review(person("national researcher"), first, "send_back", "Wrong outcome.")
    better = build_source(title="Cabinet decision: libraries return in-house")
    again = services.record_outcome(
        officer, case, outcome=Outcome.BROUGHT_BACK, date=BROUGHT_BACK_ON, source=better
    )
    assert again.pk == first.pk
    assert Event.objects.count() == 1
    again.refresh_from_db()
    assert (again.event_type, again.state, again.source_id) == (
        "insourcing",
        "submitted",
        better.pk,
    )
