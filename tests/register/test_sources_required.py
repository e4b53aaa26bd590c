"""No arrangement or event exists without a source: the database, the services and every form
refuse one."""

import datetime

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.forms import modelform_factory
from django.test import RequestFactory

from mutualwatch.register import services
from mutualwatch.register.exceptions import SourceRequired
from mutualwatch.register.models import Arrangement, Event, ServiceArea, Source
from tests.conftest import build_arrangement, build_authority, build_provider, build_source

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_arrangement_without_a_source():
    with pytest.raises(IntegrityError), transaction.atomic():
        Arrangement.objects.create(
            authority=build_authority(),
            service_area=ServiceArea.objects.get(code="leisure"),
            provider=build_provider(),
            start_date=datetime.date(2012, 1, 1),
            origin="spin-out",
        )


def test_the_database_refuses_an_event_without_a_source():
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            event_type="insolvency", date=datetime.date(2020, 1, 1), provider=build_provider()
        )


def test_the_database_refuses_an_event_attached_to_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            event_type="insolvency", date=datetime.date(2020, 1, 1), source=build_source()
        )


def test_a_cited_source_cannot_be_deleted():
    arrangement = build_arrangement()
    with pytest.raises(ProtectedError):
        arrangement.source.delete()


def test_the_database_refuses_a_source_with_neither_address_nor_copy():
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="A rumour", kind="press", url="")


def test_the_services_refuse_an_arrangement_without_sources(person):
    researcher = person("national researcher")
    with pytest.raises(SourceRequired):
        services.add_arrangement(
            researcher,
            sources=[],
            authority=build_authority(),
            service_area=ServiceArea.objects.get(code="leisure"),
            provider=build_provider(),
            start_date=datetime.date(2012, 1, 1),
            origin="spin-out",
        )
    assert not Arrangement.objects.exists()


def test_the_services_refuse_an_event_without_sources(person):
    researcher = person("national researcher")
    with pytest.raises(SourceRequired):
        services.add_event(
            researcher,
            sources=[],
            event_type="takeover",
            date=datetime.date(2020, 1, 1),
            provider=build_provider(),
        )
    assert not Event.objects.exists()


@pytest.mark.parametrize("model", [Arrangement, Event])
def test_a_model_form_without_a_source_is_invalid(model):
    form_class = modelform_factory(model, fields="__all__")
    form = form_class(data={})
    assert not form.is_valid()
    assert "source" in form.errors


@pytest.mark.parametrize("model", [Arrangement, Event])
def test_the_admin_form_requires_a_source(admin_user, model):
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = admin.site._registry[model].get_form(request)
    assert form_class.base_fields["source"].required
