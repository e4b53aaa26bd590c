"""Cheap builders for register records and people in each role, shared by every test."""

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from mutualwatch.branches.models import Branch, BranchMembership, NationalRole
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    Event,
    Provider,
    ServiceArea,
    Source,
)

# The real-browser fixtures (browser, page, service_vocabulary), for every test module.
pytest_plugins = ["tests.browser_support"]

_numbers = itertools.count(1)


def build_authority(**fields: Any) -> Authority:
    number = next(_numbers)
    values = {
        "gss_code": f"X{number:08d}",
        "name": f"Testshire Council {number}",
        "kind": "unitary",
        "nation": "fictional",
        "region": "Test Region",
    }
    return Authority.objects.create(**(values | fields))


def build_source(**fields: Any) -> Source:
    number = next(_numbers)
    values = {
        "title": f"Cabinet report {number}",
        "url": f"https://example.org/reports/{number}",
        "kind": "council-paper",
        "state": "published",
    }
    return Source.objects.create(**(values | fields))


def build_provider(**fields: Any) -> Provider:
    values = {"name": f"Test Mutual {next(_numbers)} Ltd", "legal_form": "public-service-mutual"}
    return Provider.objects.create(**({"state": "published"} | values | fields))


def build_arrangement(**fields: Any) -> Arrangement:
    values: dict[str, Any] = {
        "state": "published",
        "start_date": datetime.date(2014, 4, 1),
        "origin": "spin-out",
    }
    values |= fields
    defaults: dict[str, Callable[[], Any]] = {
        "authority": build_authority,
        "service_area": lambda: ServiceArea.objects.get(code="libraries"),
        "provider": build_provider,
        "source": build_source,
    }
    for name, build in defaults.items():
        if name not in values:
            values[name] = build()
    return Arrangement.objects.create(**values)


def build_event(**fields: Any) -> Event:
    values: dict[str, Any] = {
        "state": "published",
        "event_type": "takeover",
        "date": datetime.date(2019, 1, 1),
    } | fields
    if "provider" not in values and "arrangement" not in values:
        values["arrangement"] = build_arrangement()
    if "source" not in values:
        values["source"] = build_source()
    return Event.objects.create(**values)


def build_branch(**fields: Any) -> Branch:
    number = next(_numbers)
    values = {"name": f"Test Branch {number}", "slug": f"test-branch-{number}"}
    return Branch.objects.create(**(values | fields))


def log_in(client: Any, username: str, password: str) -> bool:
    """Log in through the login page, as a person does (django-axes watches it)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return bool(response.status_code == 302)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Real hashing is slow by design; tests need speed, not protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_cache(settings: Any) -> None:
    """Each test its own empty cache: cached pages are keyed by ids other tests reuse."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{next(_numbers)}",
        }
    }


PersonMaker = Callable[..., User | None]


@pytest.fixture
def person(db: None) -> PersonMaker:
    """``person(role, branch)``: a user holding that role (``None`` for a visitor)."""

    def make(role: str, branch: Branch | None = None) -> User | None:
        if role == "visitor":
            return None
        user = User.objects.create_user(f"{role.replace(' ', '-')}-{next(_numbers)}", password="x")
        if role in {"branch member", "branch officer"}:
            assert branch is not None, "a branch role needs a branch"
            BranchMembership.objects.create(
                user=user, branch=branch, role="officer" if role == "branch officer" else "member"
            )
        elif role == "national researcher":
            NationalRole.objects.create(user=user, role="researcher")
        elif role == "administrator":
            NationalRole.objects.create(user=user, role="administrator")
        else:
            raise ValueError(role)
        return user

    return make


@pytest.fixture
def as_person(client):
    """``as_person(user)``: the test client, logged in as that user (or a visitor for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
