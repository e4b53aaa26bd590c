"""Every cell of the permission table, checked against the rules as the union agreed them.

The expected answers are written out below, independently of ``PERMISSIONS``, one line per
(action, role): a change to the table that is not also made here fails a test.
"""

import datetime
from typing import Any

import pytest

from mutualwatch.branches.permissions import (
    PERMISSIONS,
    Action,
    Kind,
    Role,
    can,
    can_add,
    visible_filter,
)
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    NetworkMembership,
    Provider,
    ServiceArea,
    Source,
)
from mutualwatch.workforce.models import TermsRecord
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_branch,
    build_event,
    build_provider,
    build_source,
)

# Situations of a reviewed record, seen from the person being tested:
SITUATIONS = [
    "published-other-branch",
    "own-draft",  # in their branch, created by them, draft
    "branch-draft",  # in their branch, created by someone else, draft
    "branch-submitted",
    "branch-verified",
    "other-branch-draft",
]
EVIDENCE_EXPECTED = """
view    visitor              1 0 0 0 0 0
view    branch-member        1 1 1 1 1 0
view    branch-officer       1 1 1 1 1 0
view    national-researcher  1 1 1 1 1 1
view    administrator        1 1 1 1 1 1
edit    visitor              0 0 0 0 0 0
edit    branch-member        0 1 0 0 0 0
edit    branch-officer       0 1 1 1 0 0
edit    national-researcher  1 1 1 1 1 1
edit    administrator        1 1 1 1 1 1
verify  visitor              0 0 0 0 0 0
verify  branch-member        0 0 0 0 0 0
verify  branch-officer       0 0 0 0 0 0
verify  national-researcher  1 0 1 1 1 1
verify  administrator        1 0 1 1 1 1
publish visitor              0 0 0 0 0 0
publish branch-member        0 0 0 0 0 0
publish branch-officer       0 0 0 0 0 0
publish national-researcher  1 1 1 1 1 1
publish administrator        1 1 1 1 1 1
"""
# Adding, for: their own branch, another branch, no branch (a national record).
ADD_EXPECTED = """
visitor              0 0 0
branch-member        1 0 0
branch-officer       1 0 0
national-researcher  1 1 1
administrator        1 1 1
"""
# Reference data (authorities, service areas) is not reviewed: one record, always public.
REFERENCE_EXPECTED = """
view    visitor 1  branch-member 1  branch-officer 1  national-researcher 1  administrator 1
add     visitor 0  branch-member 0  branch-officer 0  national-researcher 1  administrator 1
edit    visitor 0  branch-member 0  branch-officer 0  national-researcher 1  administrator 1
verify  visitor 0  branch-member 0  branch-officer 0  national-researcher 0  administrator 0
publish visitor 0  branch-member 0  branch-officer 0  national-researcher 0  administrator 0
"""
# Branches: their own branch, another branch.
BRANCH_EXPECTED = """
view    visitor              0 0
view    branch-member        1 0
view    branch-officer       1 0
view    national-researcher  1 1
view    administrator        1 1
add     visitor              0 0
add     branch-member        0 0
add     branch-officer       0 0
add     national-researcher  0 0
add     administrator        1 1
edit    visitor              0 0
edit    branch-member        0 0
edit    branch-officer       1 0
edit    national-researcher  0 0
edit    administrator        1 1
"""

EVIDENCE_KINDS = [Kind.PROVIDER, Kind.SOURCE, Kind.ARRANGEMENT, Kind.EVENT]
BUILDERS = {
    Kind.PROVIDER: build_provider,
    Kind.SOURCE: build_source,
    Kind.ARRANGEMENT: build_arrangement,
    Kind.EVENT: build_event,
}
MODELS: dict[Kind, Any] = {
    Kind.PROVIDER: Provider,
    Kind.SOURCE: Source,
    Kind.ARRANGEMENT: Arrangement,
    Kind.EVENT: Event,
    Kind.AUTHORITY: Authority,
    Kind.SERVICE_AREA: ServiceArea,
}


def role_named(name: str) -> str:
    return name.replace("-", " ")


def rows(table: str) -> list[list[str]]:
    return [line.split() for line in table.strip().splitlines()]


def evidence_cells() -> list[tuple[Kind, str, str, list[bool]]]:
    return [
        (kind, action, role_named(role), [flag == "1" for flag in flags])
        for kind in EVIDENCE_KINDS
        for action, role, *flags in rows(EVIDENCE_EXPECTED)
    ]


def make_situations(kind: Kind, user: Any, branch: Any, other_branch: Any) -> list[Any]:
    build = BUILDERS[kind]
    someone_else = None
    return [
        build(state="published", branch=other_branch, created_by=someone_else),
        build(state="draft", branch=branch, created_by=user),
        build(state="draft", branch=branch, created_by=someone_else),
        build(state="submitted", branch=branch, created_by=someone_else),
        build(state="verified", branch=branch, created_by=someone_else),
        build(state="draft", branch=other_branch, created_by=someone_else),
    ]


@pytest.mark.parametrize(
    ("kind", "action", "role", "expected"),
    evidence_cells(),
    ids=[f"{k}-{a}-{r}" for k, a, r, _ in evidence_cells()],
)
def test_evidence_cell(person, kind, action, role, expected):
    branch, other_branch = build_branch(), build_branch()
    user = person(role, branch)
    records = make_situations(kind, user, branch, other_branch)
    answers = [can(user, Action(action), kind, record) for record in records]
    assert dict(zip(SITUATIONS, answers, strict=True)) == dict(
        zip(SITUATIONS, expected, strict=True)
    )


@pytest.mark.parametrize("kind", EVIDENCE_KINDS)
@pytest.mark.parametrize(("role", "own", "other", "national"), rows(ADD_EXPECTED))
def test_add_cell(person, kind, role, own, other, national):
    branch, other_branch = build_branch(), build_branch()
    user = person(role_named(role), branch)
    answers = [
        can_add(user, kind, branch.pk),
        can_add(user, kind, other_branch.pk),
        can_add(user, kind, None),
    ]
    assert answers == [own == "1", other == "1", national == "1"]


def reference_record(kind: Kind) -> Any:
    if kind == Kind.AUTHORITY:
        return build_authority()
    if kind == Kind.NETWORK_MEMBERSHIP:
        council = build_authority()
        return NetworkMembership.objects.create(
            member_name=council.name, authority=council, joined_on=datetime.date(2012, 7, 1)
        )
    return ServiceArea.objects.first()


@pytest.mark.parametrize("kind", [Kind.AUTHORITY, Kind.SERVICE_AREA, Kind.NETWORK_MEMBERSHIP])
@pytest.mark.parametrize("line", rows(REFERENCE_EXPECTED), ids=lambda line: line[0])
def test_reference_data_cells(person, kind, line):
    action, *pairs = line
    branch = build_branch()
    record = reference_record(kind)
    for role, flag in zip(pairs[::2], pairs[1::2], strict=True):
        user = person(role_named(role), branch)
        answer = (
            can_add(user, kind, None)
            if action == "add"
            else can(user, Action(action), kind, record)
        )
        assert answer == (flag == "1"), f"{role} {action} {kind}"


@pytest.mark.parametrize(("action", "role", "own", "other"), rows(BRANCH_EXPECTED))
def test_branch_cells(person, action, role, own, other):
    branch, other_branch = build_branch(), build_branch()
    user = person(role_named(role), branch)
    if action == "add":
        answers = [can_add(user, Kind.BRANCH, branch.pk), can_add(user, Kind.BRANCH, None)]
    else:
        answers = [can(user, Action(action), Kind.BRANCH, b) for b in (branch, other_branch)]
    assert answers == [own == "1", other == "1"]


@pytest.mark.parametrize("kind", [Kind.BRANCH])
@pytest.mark.parametrize("action", [Action.VERIFY, Action.PUBLISH])
@pytest.mark.parametrize("role", list(Role))
def test_branches_are_never_verified_or_published(person, kind, action, role):
    branch = build_branch()
    assert not can(person(str(role), branch), action, kind, branch)


def test_the_table_covers_every_kind_action_and_role():
    for kind in Kind:
        for action in Action:
            assert set(PERMISSIONS[kind][action]) == set(Role), (kind, action)


@pytest.mark.parametrize("kind", EVIDENCE_KINDS)
@pytest.mark.parametrize("role", [role_named(line[1]) for line in rows(EVIDENCE_EXPECTED)[:5]])
def test_visible_filter_selects_exactly_what_can_view_allows(person, kind, role):
    branch, other_branch = build_branch(), build_branch()
    user = person(role, branch)
    records = make_situations(kind, user, branch, other_branch)
    selected = set(
        MODELS[kind]
        .objects.filter(visible_filter(user, kind), pk__in=[r.pk for r in records])
        .values_list("pk", flat=True)
    )
    allowed = {r.pk for r in records if can(user, Action.VIEW, kind, r)}
    assert selected == allowed


def test_a_deactivated_account_is_only_a_visitor(person):
    branch = build_branch()
    user = person("administrator", branch)
    user.is_active = False
    user.save()
    draft = build_provider(state="draft", branch=branch)
    assert not can(user, Action.VIEW, Kind.PROVIDER, draft)


# Workforce records (special-category data): a record of their own branch, of another branch.
# Administrators reach them only through break-glass (tests/workforce), never through the table.
WORKFORCE_EXPECTED = """
view    visitor              0 0
view    branch-member        0 0
view    branch-officer       1 0
view    national-researcher  0 0
view    administrator        0 0
add     visitor              0 0
add     branch-member        0 0
add     branch-officer       1 0
add     national-researcher  0 0
add     administrator        0 0
edit    visitor              0 0
edit    branch-member        0 0
edit    branch-officer       1 0
edit    national-researcher  0 0
edit    administrator        0 0
verify  visitor              0 0
verify  branch-officer       0 0
verify  administrator        0 0
publish branch-officer       0 0
publish administrator        0 0
"""


@pytest.mark.parametrize(("action", "role", "own", "other"), rows(WORKFORCE_EXPECTED))
def test_workforce_cells(person, action, role, own, other):
    branch, other_branch = build_branch(), build_branch()
    user = person(role_named(role), branch)
    if action == "add":
        answers = [
            can_add(user, Kind.WORKFORCE, branch.pk),
            can_add(user, Kind.WORKFORCE, other_branch.pk),
        ]
    else:
        records = [TermsRecord(branch=b) for b in (branch, other_branch)]
        answers = [can(user, Action(action), Kind.WORKFORCE, r) for r in records]
    assert answers == [own == "1", other == "1"]


@pytest.mark.parametrize("role", [role_named(line[1]) for line in rows(WORKFORCE_EXPECTED)[:5]])
def test_workforce_visible_filter_selects_exactly_what_can_view_allows(person, role):
    branch, other_branch = build_branch(), build_branch()
    user = person(role, branch)
    arrangement = build_arrangement()
    records = [
        TermsRecord.objects.create(
            branch=b,
            arrangement=arrangement,
            time_point="before",
            origin="officer",
            sealed_answers="",
            delete_after=arrangement.start_date,
        )
        for b in (branch, other_branch)
    ]
    selected = set(
        TermsRecord.objects.filter(visible_filter(user, Kind.WORKFORCE)).values_list(
            "pk", flat=True
        )
    )
    assert selected == {r.pk for r in records if can(user, Action.VIEW, Kind.WORKFORCE, r)}
