"""A small world for the workspace: one branch covering one council with a published service."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from mutualwatch.branches.models import Branch
from mutualwatch.register.models import Arrangement, Authority
from tests.conftest import build_arrangement, build_authority, build_branch, build_provider


@dataclass
class World:
    council: Authority
    elsewhere: Authority
    branch: Branch
    other_branch: Branch
    arrangement: Arrangement
    people: dict[str, Any]


@pytest.fixture
def world(person, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000077")
    elsewhere = build_authority(name="Elsewhere District Council")
    branch = build_branch(name="Exemplar Branch")
    branch.authorities.add(council)
    other_branch = build_branch(name="Elsewhere Branch")
    other_branch.authorities.add(elsewhere)
    arrangement = build_arrangement(
        authority=council, provider=build_provider(name="Exemplar Leisure Mutual Ltd")
    )
    people = {
        "member": person("branch member", branch),
        "second member": person("branch member", branch),
        "officer": person("branch officer", branch),
        "other branch member": person("branch member", other_branch),
        "researcher": person("national researcher"),
        "second researcher": person("national researcher"),
        "administrator": person("administrator"),
        "no role": User.objects.create_user("no-role-person", password="x"),
    }
    return World(council, elsewhere, branch, other_branch, arrangement, people)
