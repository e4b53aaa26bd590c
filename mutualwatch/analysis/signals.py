"""Recompute the fates whenever register data they read (``loading.READS``) are written or
deleted.

Every write counts, published or not: a record leaving publication changes the figures too,
and a run over unchanged published data stores nothing new (``services.refresh_fates``).
"""

from typing import Any

from mutualwatch.analysis.loading import READS
from mutualwatch.register.signals import records_changed


def fates_inputs_changed(sender: Any, using: str | None = None, **kwargs: Any) -> None:
    # Imported here: the statistics behind it take seconds to import, and every process
    # (commands, web and compile workers) would pay that at start-up.
    from mutualwatch.analysis.services import register_data_changed

    register_data_changed(using)


for model in READS:
    records_changed.connect(
        fates_inputs_changed, sender=model, dispatch_uid=f"fates-{model._meta.label}"
    )
