"""docs/network-space.md states the rule and the table as the code has them."""

from pathlib import Path

from mutualwatch.branches.permissions import PERMISSIONS, Action, Kind, Role, Scope
from mutualwatch.network.queries import MEASURES, PIPELINE_STAGES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "network-space.md").read_text()


def test_the_doc_names_the_pipeline_stages_and_measures():
    for stage in PIPELINE_STAGES:
        assert stage.label.lower() in DOC
    for measure in MEASURES:
        assert f"**{measure}**" in DOC


def test_the_docs_table_is_the_permission_tables():
    for kind in (Kind.MEETING, Kind.PRACTICE_NOTE):
        rows = PERMISSIONS[kind]
        assert rows[Action.ADD][Role.OFFICER] == Scope.NETWORK
        assert rows[Action.ADD][Role.MEMBER] == Scope.NONE
        assert rows[Action.EDIT][Role.OFFICER] == Scope.OWN_BRANCH
        assert rows[Action.VIEW][Role.MEMBER] == Scope.NETWORK
        assert all(rows[action][Role.ADMINISTRATOR] == Scope.NONE for action in Action)
        assert all(rows[action][Role.RESEARCHER] == Scope.NONE for action in Action)
    assert PERMISSIONS[Kind.BRANCH][Action.EDIT][Role.OFFICER] == Scope.BRANCH
