"""Keeps every authority's official name among the spellings buyers are resolved by, however
the authority was recorded (``register.signals.records_changed``)."""

from typing import Any

from django.dispatch import receiver

from mutualwatch.councils.services import record_official_names
from mutualwatch.register.models import Authority
from mutualwatch.register.signals import records_changed


@receiver(records_changed, sender=Authority)
def authorities_changed(records: list[Authority], deleted: bool, **kwargs: Any) -> None:
    if not deleted:
        record_official_names(records)
