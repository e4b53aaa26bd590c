"""Every write to a campaign case goes through these named actions.

Each asks the permission table (``branches.permissions``, ``Kind.CASE``): a case is changed by
its own branch's officers only, nobody else, national roles included. A refusal is the
register's ``NotAllowed``; the case files' own rules raise a ``CaseError``. Every action is
atomic and leaves who made the change in the history.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import CharField, Model, TextField
from django.utils import timezone

from mutualwatch.branches.models import Branch, BranchMembership
from mutualwatch.branches.permissions import Action, Kind, can, can_add, network_branch_ids
from mutualwatch.campaigns.exceptions import (
    ArrangementMismatch,
    ArrangementRequired,
    NotInBranch,
    NotInNetwork,
    OutcomeAlreadyRecorded,
)
from mutualwatch.campaigns.models import (
    Case,
    CaseAction,
    CaseDocument,
    Milestone,
    Outcome,
    Stage,
)
from mutualwatch.register import services as register_services
from mutualwatch.register.exceptions import NotAllowed
from mutualwatch.register.models import (
    Arrangement,
    ArrangementOrigin,
    Authority,
    Event,
    EventType,
    ReviewState,
    ServiceArea,
    Source,
)
from mutualwatch.untrusted_text import without_bidi_controls

#: What a case may have its title, summary, stage and arrangement changed to by ``edit_case``.
EDITABLE = ("title", "summary", "stage", "arrangement")

#: The stage a case reaches with each outcome (delayed and brought back leave it where it is).
STAGE_OF_OUTCOME = {Outcome.RETAINED: Stage.RETAINED, Outcome.TRANSFERRED: Stage.TRANSFER}


def event_type_for(outcome: str, arrangement: Arrangement) -> str:
    """The register event a case's outcome becomes: brought back is an insourcing (an exit
    "back in-house" in the fates analysis); retained and delayed are the campaign event types;
    a transfer is a spin-out when the arrangement began as one, otherwise a contract award."""
    match outcome:
        case Outcome.BROUGHT_BACK:
            return EventType.INSOURCING
        case Outcome.RETAINED:
            return EventType.RETAINED
        case Outcome.DELAYED:
            return EventType.TRANSFER_DELAYED
        case Outcome.TRANSFERRED:
            if arrangement.origin == ArrangementOrigin.SPIN_OUT:
                return EventType.SPIN_OUT
            return EventType.CONTRACT_AWARD
    raise ValueError(f"{outcome!r} is not a case outcome")


def _require_edit(user: Any, case: Case) -> None:
    if not can(user, Action.EDIT, Kind.CASE, case):
        raise NotAllowed("Only the officers of the branch that keeps this case may change it.")


def _save(record: Model, user: Any, reason: str) -> None:
    """Validate and save, telling the history who and why; text without bidi controls."""
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        if isinstance(value, str) and isinstance(field, CharField | TextField):
            setattr(record, field.attname, without_bidi_controls(value))
    record.full_clean()
    record._history_user = user if user is not None and user.is_authenticated else None  # type: ignore[attr-defined]
    record._change_reason = reason  # type: ignore[attr-defined]
    record.save()


def _check_arrangement(case: Case, arrangement: Arrangement | None) -> None:
    if arrangement is None:
        return
    if (
        arrangement.authority_id != case.authority_id
        or arrangement.service_area_id != case.service_area_id
    ):
        raise ArrangementMismatch(
            f"The arrangement “{arrangement}” is {arrangement.authority}'s "
            f"{arrangement.service_area}; this case is about {case.authority}'s "
            f"{case.service_area}. Link an arrangement of the same council and service."
        )


def _check_arrangement_visible(user: Any, arrangement: Arrangement | None) -> None:
    if arrangement is not None and not can(user, Action.VIEW, Kind.ARRANGEMENT, arrangement):
        raise NotAllowed("You may not link a case to an arrangement you cannot see.")


@transaction.atomic
def open_case(
    user: Any,
    *,
    branch: Branch,
    authority: Authority,
    service_area: ServiceArea,
    title: str,
    summary: str = "",
    arrangement: Arrangement | None = None,
    stage: str = Stage.EARLY_SIGNS,
) -> Case:
    """Open a case for a branch, about a council it covers: private to the branch."""
    if not can_add(user, Kind.CASE, branch.pk):
        raise NotAllowed(f"Only officers of {branch} may open a case for it.")
    if not branch.authorities.filter(pk=authority.pk).exists():
        raise NotInBranch(f"{branch} does not cover {authority}: a case is about its own councils.")
    case = Case(
        branch=branch,
        authority=authority,
        service_area=service_area,
        title=title,
        summary=summary,
        stage=stage,
        arrangement=arrangement,
        created_by=user,
    )
    _check_arrangement(case, arrangement)
    _check_arrangement_visible(user, arrangement)
    _save(case, user, "opened")
    return case


@transaction.atomic
def edit_case(user: Any, case: Case, **changes: Any) -> Case:
    """Change a case's title, summary, stage or arrangement."""
    _require_edit(user, case)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable on a case: {', '.join(sorted(unknown))}")
    if "arrangement" in changes and changes["arrangement"] != case.arrangement:
        _check_arrangement(case, changes["arrangement"])
        _check_arrangement_visible(user, changes["arrangement"])
    for field, value in changes.items():
        setattr(case, field, value)
    _save(case, user, "edited")
    return case


@transaction.atomic
def add_milestone(
    user: Any, case: Case, *, date: datetime.date, description: str, stage: str = ""
) -> Milestone:
    """A dated step; at the case's current stage unless another is given."""
    _require_edit(user, case)
    milestone = Milestone(case=case, date=date, description=description, stage=stage or case.stage)
    _save(milestone, user, "added")
    _touch(case)
    return milestone


@transaction.atomic
def add_document(
    user: Any,
    case: Case,
    *,
    source: Source | None = None,
    new_source: dict[str, Any] | None = None,
    note: str = "",
) -> CaseDocument:
    """Attach a document: an existing Source the officer may see, or a new one recorded in the
    register for the case's branch (a draft, as any new source is), so it can become evidence."""
    _require_edit(user, case)
    if (source is None) == (new_source is None):
        raise ValueError("Give either an existing source or a new one, not both.")
    if source is None:
        source = register_services.add_source(user, branch_id=case.branch_id, **(new_source or {}))
    elif not can(user, Action.VIEW, Kind.SOURCE, source):
        raise NotAllowed("You may not cite a source you cannot see.")
    document, _ = CaseDocument.objects.get_or_create(
        case=case, source=source, defaults={"note": without_bidi_controls(note)}
    )
    _touch(case)
    return document


def _assignee(case: Case, assignee: Any) -> Any:
    if assignee is None:
        return None
    if not BranchMembership.objects.filter(user_id=assignee.pk, branch_id=case.branch_id).exists():
        raise NotInBranch(
            f"{assignee.get_username()} is not a member of {case.branch}: an action is given to "
            "one of the branch's own members."
        )
    return assignee


@transaction.atomic
def add_action(
    user: Any,
    case: Case,
    *,
    description: str,
    assigned_to: Any = None,
    due_on: datetime.date | None = None,
) -> CaseAction:
    """Something to do, optionally given to a member of the case's branch."""
    _require_edit(user, case)
    action = CaseAction(
        case=case, description=description, assigned_to=_assignee(case, assigned_to), due_on=due_on
    )
    _save(action, user, "added")
    _touch(case)
    return action


@transaction.atomic
def assign(user: Any, action: CaseAction, assignee: Any) -> CaseAction:
    """Give an action to a member of the case's branch (``None``: to nobody)."""
    _require_edit(user, action.case)
    action.assigned_to = _assignee(action.case, assignee)
    _save(action, user, "assigned")
    _touch(action.case)
    return action


@transaction.atomic
def mark_done(user: Any, action: CaseAction, done_on: datetime.date | None = None) -> CaseAction:
    _require_edit(user, action.case)
    action.done_on = done_on or timezone.localdate()
    _save(action, user, "done")
    _touch(action.case)
    return action


@transaction.atomic
def share_with_network(user: Any, case: Case) -> Case:
    """Let the branch network's branches read the case (never change it). A branch outside
    the network has no network to share with."""
    _require_edit(user, case)
    if case.branch_id not in network_branch_ids():
        raise NotInNetwork(
            f"{case.branch} is not in the branch network, so it has no network to share this "
            "case with: a branch is in it when a council it covers is a member, or when it has "
            "joined itself."
        )
    case.shared_with_network = True
    case.shared_at = timezone.now()
    _save(case, user, "shared with the network")
    return case


@transaction.atomic
def unshare(user: Any, case: Case) -> Case:
    """Make the case the branch's alone again."""
    _require_edit(user, case)
    case.shared_with_network = False
    case.shared_at = None
    _save(case, user, "no longer shared")
    return case


@transaction.atomic
def record_outcome(
    user: Any,
    case: Case,
    *,
    outcome: str,
    date: datetime.date,
    source: Source,
    description: str = "",
) -> Event:
    """Record how the campaign ended, and make it a register event about the case's arrangement,
    citing ``source``, submitted for the register's review: once another person verifies it and
    a researcher publishes it, it is evidence in the fates analysis like any other event.

    The source is also kept among the case's documents. An outcome whose event was sent back
    to draft may be recorded again; one under review or published may not.
    """
    _require_edit(user, case)
    if case.arrangement is None:
        where = "the in-house arrangement" if outcome == Outcome.RETAINED else "the arrangement"
        raise ArrangementRequired(
            f"Link this case to {where} in the register first (edit the case): a register "
            "event is always about an arrangement. If the register has none yet, record it "
            "from the workspace."
        )
    previous = case.outcome_event
    if previous is not None and previous.state != ReviewState.DRAFT:
        raise OutcomeAlreadyRecorded(
            f"This case's outcome is already a register event, {previous.get_state_display()}"
            ": the register's review decides on it now."
        )
    if not can(user, Action.VIEW, Kind.SOURCE, source):
        raise NotAllowed("You may not cite a source you cannot see.")
    fields = {
        "event_type": event_type_for(outcome, case.arrangement),
        "date": date,
        "arrangement": case.arrangement,
        # The event is register evidence, read by reviewers and, once published, by everyone:
        # it says what happened to the service, never what the branch's private case is called.
        "description": description
        or f"{Outcome(outcome).label}: {case.service_area.name} at {case.authority.name}.",
    }
    if previous is not None:
        # Sent back to draft: the same event, corrected, so the register keeps no orphan.
        event = register_services.edit(user, previous, **fields)
        event = register_services.change_citations(user, event, [source])
    else:
        event = register_services.add_event(
            user, sources=[source], branch_id=case.branch_id, **fields
        )
    register_services.move_through_review(user, event, "submit")
    CaseDocument.objects.get_or_create(case=case, source=source)
    case.outcome = outcome
    case.outcome_on = date
    case.outcome_event = event
    case.stage = STAGE_OF_OUTCOME.get(Outcome(outcome), case.stage)
    _save(case, user, "outcome recorded")
    return event


def _touch(case: Case) -> None:
    """The index lists the most recently changed cases first."""
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
