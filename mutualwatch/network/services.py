"""Every change to the branch network's records: meetings, practice notes, and a branch joining
or leaving the network itself. Each asks the permission table (``can`` / ``can_add``) first and
refuses with a sentence saying who may do it."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from mutualwatch.branches.models import Branch
from mutualwatch.branches.permissions import Action, Kind, can, can_add, network_branch_ids
from mutualwatch.network.exceptions import NotAllowed, RecordRefused
from mutualwatch.network.models import Meeting, PracticeNote
from mutualwatch.register.models import ServiceArea


def _required(**values: str) -> None:
    problems = {field: "this cannot be empty" for field, value in values.items() if not value}
    if problems:
        raise RecordRefused(problems)


def _attending_in_network(attending: Iterable[Branch]) -> list[Branch]:
    """Only network branches attend the network's meetings."""
    chosen = list(attending)
    members = network_branch_ids()
    outside = sorted(branch.name for branch in chosen if branch.pk not in members)
    if outside:
        raise RecordRefused({"attending": f"not in the branch network: {', '.join(outside)}"})
    return chosen


@transaction.atomic
def schedule_meeting(
    user: Any,
    branch: Branch,
    *,
    title: str,
    held_on: datetime.date,
    agenda: str = "",
    notes: str = "",
    attending: Iterable[Branch] = (),
) -> Meeting:
    """A meeting convened by ``branch``, whose officers keep its record. Only officers of a
    branch in the network may convene one, for their own branch."""
    if not can_add(user, Kind.MEETING, branch.pk):
        raise NotAllowed(
            f"Only officers of {branch.name} may record its meetings, and only while it is in "
            "the branch network."
        )
    _required(title=title.strip())
    chosen = _attending_in_network(attending)
    meeting = Meeting.objects.create(
        branch=branch,
        title=title.strip(),
        held_on=held_on,
        agenda=agenda,
        notes=notes,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    meeting.attending.set(chosen)
    return meeting


@transaction.atomic
def edit_meeting(
    user: Any,
    meeting: Meeting,
    *,
    title: str,
    held_on: datetime.date,
    agenda: str,
    notes: str,
    attending: Iterable[Branch],
) -> Meeting:
    """The agenda, the notes, who attended: changed only by officers of the convening branch."""
    if not can(user, Action.EDIT, Kind.MEETING, meeting):
        raise NotAllowed(f"Only officers of {meeting.branch.name} may change this meeting.")
    _required(title=title.strip())
    chosen = _attending_in_network(attending)
    meeting.title = title.strip()
    meeting.held_on = held_on
    meeting.agenda = agenda
    meeting.notes = notes
    meeting.save()
    meeting.attending.set(chosen)
    return meeting


def add_practice_note(
    user: Any, branch: Branch, *, title: str, body: str, service_area: ServiceArea | None = None
) -> PracticeNote:
    """A note of what ``branch`` learned, for every network branch to read."""
    if not can_add(user, Kind.PRACTICE_NOTE, branch.pk):
        raise NotAllowed(
            f"Only officers of {branch.name} may share its practice notes, and only while it is "
            "in the branch network."
        )
    _required(title=title.strip(), body=body.strip())
    return PracticeNote.objects.create(
        branch=branch,
        title=title.strip(),
        body=body,
        service_area=service_area,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def edit_practice_note(
    user: Any, note: PracticeNote, *, title: str, body: str, service_area: ServiceArea | None
) -> PracticeNote:
    if not can(user, Action.EDIT, Kind.PRACTICE_NOTE, note):
        raise NotAllowed(f"Only officers of {note.branch.name} may change this note.")
    _required(title=title.strip(), body=body.strip())
    note.title = title.strip()
    note.body = body
    note.service_area = service_area
    note.save()
    return note


def join_network(user: Any, branch: Branch, on: datetime.date) -> Branch:
    """Record ``branch`` joining the network itself on ``on`` (a branch whose employer is a
    member council is in it without this). Whoever the table lets edit the branch may."""
    if not can(user, Action.EDIT, Kind.BRANCH, branch):
        raise NotAllowed(f"You may not change {branch.name}: ask an administrator.")
    branch.joined_network_on = on
    branch.save(update_fields=["joined_network_on"])
    return branch


def leave_network(user: Any, branch: Branch) -> bool:
    """Record ``branch`` leaving the network it joined itself. Returns whether it is still in
    the network, as it is while its employer is a member council."""
    if not can(user, Action.EDIT, Kind.BRANCH, branch):
        raise NotAllowed(f"You may not change {branch.name}: ask an administrator.")
    if branch.joined_network_on is None:
        raise RecordRefused({"joined_network_on": f"{branch.name} never joined the network itself"})
    branch.joined_network_on = None
    branch.save(update_fields=["joined_network_on"])
    return branch.pk in network_branch_ids()
