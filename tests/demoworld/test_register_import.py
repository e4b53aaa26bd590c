"""The world's register.json loads through the register's own importer, every record valid."""

from collections import Counter
from pathlib import Path

import pytest

from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Arrangement, Authority, Event, Provider
from tests.demoworld.conftest import read_register


@pytest.mark.django_db
def test_the_register_imports_whole_and_a_second_import_changes_nothing(tiny_world: Path):
    records = Counter(record["record_type"] for record in read_register(tiny_world))
    summary = import_register(tiny_world / "register.json")
    assert summary.read == records
    assert Authority.objects.filter(nation="fictional").count() == records["authority"]
    assert Provider.objects.count() == records["provider"]
    assert Arrangement.objects.count() == records["arrangement"]
    assert Event.objects.count() == records["event"]
    assert not Arrangement.objects.exclude(state="published").exists()
    assert import_register(tiny_world / "register.json").changed == 0
