"""Demo-world histories drawn in memory, in the shape the spell rules read.

The coverage test needs hundreds of worlds with known hazards; writing each to files and
importing it would take hours. This draws only the histories, with the generator's own pure
functions, and hands them to the same spell rules the register goes through.
"""

from mutualwatch.analysis.spells import (
    ArrangementRecord,
    ControlRecord,
    EventRecord,
    MembershipRecord,
    PartialDate,
    RegisterHistory,
)
from mutualwatch.demoworld.authorities import generate_authorities
from mutualwatch.demoworld.histories import WorldBuilder
from mutualwatch.demoworld.parameters import CENSUS_DATE, WorldParameters
from mutualwatch.register.vocabulary import SERVICE_AREAS


def drawn_history(parameters: WorldParameters) -> RegisterHistory:
    """Every council's service histories in the world, as the register would record them,
    followed to the census date."""
    builder = WorldBuilder(parameters)
    authorities = generate_authorities(parameters)
    firms = builder.private_firms()
    in_house = {a.gss_code: builder.in_house_provider(a) for a in authorities}
    histories = [
        builder.history(authority, code, in_house[authority.gss_code], firms)
        for authority in authorities
        for code, _name, _description in SERVICE_AREAS
    ]
    providers = {p.uid: p for p in [*in_house.values(), *firms, *builder.spun_out]}
    arrangements = [
        ArrangementRecord(
            key=spell.uid,
            authority=spell.authority,
            service_area=spell.service_area,
            provider=spell.provider_uid,
            # The provider's own form: a taken-over spell's `provider_form` says "private".
            legal_form=providers[spell.provider_uid].legal_form,
            origin=spell.origin,
            start=PartialDate(spell.start),
            end=PartialDate(spell.end) if spell.end else None,
            staff_transferred=spell.staff_transferred,
        )
        for history in histories
        if history.ever_external
        for spell in history.spells
    ]
    events = [
        EventRecord(
            event_type=event.event_type,
            date=PartialDate(event.date),
            arrangement=event.arrangement_uid,
            provider=event.provider_uid or None,
            counterparty_legal_form=providers[event.counterparty_uid].legal_form
            if event.counterparty_uid
            else None,
        )
        for event in builder.events
    ]
    controls = [
        ControlRecord(provider.uid, control.controller_kind, PartialDate(control.start))
        for provider in builder.spun_out
        for control in provider.controls
    ]
    memberships = [
        MembershipRecord(a.gss_code, a.network_joined_on)
        for a in authorities
        if a.network_joined_on is not None
    ]
    return RegisterHistory(CENSUS_DATE, arrangements, events, controls, memberships)
