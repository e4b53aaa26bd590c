"""Cached public pages and the fates follow every change to what they read: what invalidates
what is derived from the models, and these tests fail when a model read is left out."""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.test import Client

from mutualwatch.analysis.loading import READS, load_register_history
from mutualwatch.analysis.services import RecomputeWhenCommitted
from mutualwatch.councils.models import Succession
from mutualwatch.page_cache import register_version, versioned_models
from mutualwatch.workforce.models import Publication
from tests.conftest import build_arrangement, build_authority, build_event, build_provider
from tests.publishing.workforce_world import build_publication, standard_cells

pytestmark = pytest.mark.django_db


def models_read(action: Callable[[], Any]) -> set[type[Model]]:
    """Every model whose table the SQL run by ``action`` names."""
    statements: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    names = set(re.findall(r'"([a-z0-9_]+)"', "\n".join(statements)))
    return {model for model in apps.get_models() if model._meta.db_table in names}


# Read by public pages, and versioned apart from the register's history rows.
VERSIONED_OTHERWISE = {
    "procurement": "every OCDS ingest adds an IngestRun, part of the version",
    "analysis": "each fates result is part of the version",
    "matching": "each linking run and each judgement adds a LinkRun, part of the version",
    "registers": "copied only by linking runs and judgements, each adding a LinkRun",
    "publishing": "the search index, rebuilt from the register and the ingest",
    "sessions": "the visitor's own session, not the page's content",
    "auth": "the visitor's own account",
    "workforce": "each publication of the protected tables is part of the version",
}


def test_every_model_a_public_page_reads_is_part_of_the_pages_version(settings):
    settings.CACHE_PUBLIC_PAGES = False
    council = build_authority(name="Versioned Borough Council")
    successor = build_authority(name="Versioned Unitary Council")
    Succession.objects.create(predecessor=council, successor=successor)
    arrangement = build_arrangement(authority=council)
    build_event(arrangement=arrangement)
    build_publication(cells=standard_cells(council="Versioned Borough Council"))
    client = Client()
    urls = [
        "/",
        "/authorities/",
        f"/authorities/{council.gss_code}/",
        "/providers/",
        f"/providers/{arrangement.provider.uid}/",
        "/services/",
        "/services/libraries/",
        "/network/",
        "/search/?q=versioned",
        f"/sources/{arrangement.source.uid}/",
        "/fates/",
        "/workforce/",
        "/workforce/method/",
        "/workforce/release-1.csv",
    ]
    read: set[type[Model]] = set()
    for url in urls:
        read |= models_read(lambda url=url: client.get(url))
    unversioned = {
        model._meta.label
        for model in read
        if model not in versioned_models()
        and model._meta.app_label not in VERSIONED_OTHERWISE
        and not model.__name__.startswith("Historical")
    }
    assert not unversioned
    assert Succession in read
    assert Publication in read


def test_a_new_publication_changes_the_version_and_the_cached_pages(settings):
    """The staff page and the council pages show the latest publication's tables: cached
    before it, they must show it at once."""
    settings.CACHE_PUBLIC_PAGES = True
    council = build_authority(name="Exemplar Borough Council")
    build_arrangement(authority=council)
    client = Client()
    council_page = f"/authorities/{council.gss_code}/"
    before = register_version()
    assert (
        "No workforce tables have been published yet" in client.get("/workforce/").content.decode()
    )
    assert "Staff terms after transfer" not in client.get(council_page).content.decode()
    build_publication(number=1)
    first = register_version()
    assert first != before
    assert "release 1" in client.get("/workforce/").content.decode()
    assert "Staff terms after transfer" in client.get(council_page).content.decode()
    build_publication(number=2, respondents=999)
    assert register_version() != first
    assert "from 999 respondents" in client.get("/workforce/").content.decode()
    assert "release 2" in client.get(council_page).content.decode()


def test_a_succession_added_after_a_visit_shows_on_the_cached_council_page(settings):
    settings.CACHE_PUBLIC_PAGES = True
    council = build_authority(name="Abolished District Council")
    successor = build_authority(name="New Unitary Council")
    build_arrangement(authority=council)
    client = Client()
    url = f"/authorities/{council.gss_code}/"
    assert "Replaced by" not in client.get(url).content.decode()
    Succession.objects.create(predecessor=council, successor=successor)
    assert "New Unitary Council" in client.get(url).content.decode()


def test_every_model_the_analysis_reads_recomputes_the_fates():
    build_arrangement(end_date=datetime.date(2020, 1, 1))
    read = models_read(load_register_history)
    register_models = {m for m in read if m._meta.app_label in {"register", "councils"}}
    assert register_models <= set(READS), register_models - set(READS)


def test_an_authoritys_end_date_queues_a_fates_recomputation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        council = build_authority()
    with django_capture_on_commit_callbacks() as callbacks:
        council.end_date = datetime.date(2023, 3, 31)
        council.save()
    assert any(isinstance(callback, RecomputeWhenCommitted) for callback in callbacks)


def test_an_event_on_an_arrangement_shows_on_its_providers_page(client):
    provider = build_provider(name="Evented Mutual Ltd")
    arrangement = build_arrangement(provider=provider)
    build_event(arrangement=arrangement, event_type="re-tender", description="Lost the re-tender")
    assert "Lost the re-tender" in client.get(f"/providers/{provider.uid}/").content.decode()
