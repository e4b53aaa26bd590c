"""Recompute the fates whenever register data they read are written or deleted.

Every write counts, published or not: a record leaving publication changes the figures too,
and a run over unchanged published data stores nothing new (``services.refresh_fates``).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from mutualwatch.analysis.services import register_data_changed
from mutualwatch.register.models import (
    Arrangement,
    Event,
    NetworkMembership,
    Provider,
    ProviderControl,
)

WATCHED = (Arrangement, Event, Provider, ProviderControl, NetworkMembership)


def fates_inputs_changed(sender: Any, using: str | None = None, **kwargs: Any) -> None:
    register_data_changed(using)


for model in WATCHED:
    for signal in (post_save, post_delete):
        signal.connect(
            fates_inputs_changed,
            sender=model,
            dispatch_uid=f"fates-{signal is post_save}-{model._meta.label}",
        )
