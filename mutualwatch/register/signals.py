"""The one signal every write to the register sends, however it was made.

``records_changed`` (``sender``: the model; ``records``: the rows; ``deleted``: whether they
were deleted; ``using``) is sent once per row saved or deleted one at a time (bridged here from
Django's ``post_save`` and ``post_delete``: the register's actions, the admin, the councils
import) and once per batch the register's importer and the councils' names import write in
bulk (which sends no ``post_save``). Whatever keeps in step with the register (the search
index, the fates, the councils' known spellings) listens to this alone, so no write path can
be missed.
"""

from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

records_changed = Signal()

#: The apps whose models send ``records_changed``.
SIGNALLING_APPS = ("register", "councils")


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    # raw: loading fixtures or restoring a database, whose derived data come with it
    if not raw:
        records_changed.send(
            sender=sender, records=[instance], deleted=False, using=kwargs.get("using")
        )


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    using = kwargs.get("using")
    records_changed.send(sender=sender, records=[instance], deleted=True, using=using)


def connect_bridges() -> None:
    """Called once the models are loaded (``RegisterConfig.ready``)."""
    for label in SIGNALLING_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # the history of a change is not a change
            uid = f"records-changed-{model._meta.label}"
            post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-saved")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-deleted")
