"""A canonical dump of every procurement table: surrogate ids replaced by natural keys, rows
sorted, so two databases with the same content give the same dump."""

import json

from django.apps import apps
from django.db import models

from mutualwatch.procurement.models import Award, IngestRun, Party


def canonical_dump() -> dict[str, list[str]]:
    dump = {}
    for model in apps.get_app_config("procurement").get_models():
        if model is IngestRun:  # the log of runs: a killed run and its rerun tell their story
            continue
        columns = []
        for field in model._meta.concrete_fields:
            if isinstance(field, models.AutoField | models.BigAutoField):
                continue
            if field.name == "compiled_at":  # when, not what: differs between two runs
                continue
            if isinstance(field, models.ForeignKey) and field.related_model in (Party, Award):
                # a surrogate id: replaced by the row's natural key (process, position)
                columns += [f"{field.name}__process_id", f"{field.name}__position"]
            else:
                columns.append(field.attname)
        rows = [
            json.dumps(row, sort_keys=True, default=str)
            for row in model.objects.values(*columns).iterator(chunk_size=5000)
        ]
        dump[model.__name__] = sorted(rows)
    return dump
