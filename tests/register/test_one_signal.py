"""Every write to the register, by every path, reaches listeners through one signal."""

from pathlib import Path
from typing import Any

import pytest

from mutualwatch.register import services
from mutualwatch.register.exchange import write_records
from mutualwatch.register.exporting import export_records
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Provider
from mutualwatch.register.signals import records_changed
from tests.conftest import build_arrangement
from tests.register.test_exchange import empty_the_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Any:
    said: list[tuple[str, bool]] = []

    def listener(records: list[Provider], deleted: bool, **kwargs: Any) -> None:
        said.extend((provider.name, deleted) for provider in records)

    records_changed.connect(listener, sender=Provider, dispatch_uid="test-listener")
    yield said
    records_changed.disconnect(sender=Provider, dispatch_uid="test-listener")


def test_an_action_an_import_and_a_deletion_all_reach_a_listener(person, heard, tmp_path: Path):
    researcher = person("national researcher")
    services.add_provider(researcher, name="Acted Mutual", legal_form="cic")
    assert heard == [("Acted Mutual", False)]

    build_arrangement(provider=Provider.objects.create(name="Imported Mutual", legal_form="cic"))
    path = tmp_path / "register.json"
    write_records(path, export_records())
    empty_the_register()
    heard.clear()
    import_register(path)
    assert ("Imported Mutual", False) in heard

    spare = services.add_provider(researcher, name="Spare Mutual", legal_form="cic")
    heard.clear()
    spare.delete()
    assert heard == [("Spare Mutual", True)]
