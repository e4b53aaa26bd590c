"""Keeps every authority's official name among the spellings buyers are resolved by, however
the authority was recorded: saved one at a time, or written in bulk by the register's import."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from mutualwatch.councils.services import record_official_names
from mutualwatch.register.models import Authority
from mutualwatch.register.signals import records_loaded


@receiver(post_save, sender=Authority)
def authority_saved(instance: Authority, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        record_official_names([instance])


@receiver(records_loaded, sender=Authority)
def authorities_loaded(records: list[Authority], **kwargs: Any) -> None:
    record_official_names(records)
