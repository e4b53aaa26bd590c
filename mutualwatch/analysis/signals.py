"""Recompute the fates whenever register data they read (``loading.READS``) are written or
deleted.

Every write counts, published or not: a record leaving publication changes the figures too,
and a run over unchanged published data stores nothing new (``services.refresh_fates``).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from mutualwatch.analysis.loading import READS
from mutualwatch.register.signals import records_loaded


def fates_inputs_changed(sender: Any, using: str | None = None, **kwargs: Any) -> None:
    # Imported here: the statistics behind it take seconds to import, and every process
    # (commands, web and compile workers) would pay that at start-up.
    from mutualwatch.analysis.services import register_data_changed

    register_data_changed(using)


# The importer writes new rows in bulk and sends records_loaded instead of post_save.
SIGNALS = {"saved": post_save, "deleted": post_delete, "loaded": records_loaded}

for model in READS:
    for name, signal in SIGNALS.items():
        signal.connect(
            fates_inputs_changed, sender=model, dispatch_uid=f"fates-{name}-{model._meta.label}"
        )
