"""Cheap builders for guidance documents, versions, actors and positions."""

import datetime
import itertools
from typing import Any

from mutualwatch.guidance.models import Actor, Document, DocumentVersion, Position
from tests.conftest import build_source

_numbers = itertools.count(1)


def build_document(text: str = "", **fields: Any) -> Document:
    """A document (published unless told) with one version citing a published source."""
    number = next(_numbers)
    values = {"title": f"Guidance note {number}", "kind": "guidance", "state": "published"}
    document = Document.objects.create(**(values | fields))
    add_version(document, text or f"The text of guidance note {number}.")
    return document


def add_version(document: Document, text: str, **fields: Any) -> DocumentVersion:
    last = document.versions.order_by("-number").first()
    values = {
        "number": (last.number if last else 0) + 1,
        "dated": datetime.date(2015, 1, 1),
        "source": build_source(),
    }
    return DocumentVersion.objects.create(document=document, text=text, **(values | fields))


def build_actor(**fields: Any) -> Actor:
    number = next(_numbers)
    return Actor.objects.create(**({"code": f"actor-{number}", "name": f"Actor {number}"} | fields))


def build_position(**fields: Any) -> Position:
    version = fields.pop("version", None) or build_document("Staff keep ownership.").versions.get()
    values = {
        "question": "ownership",
        "summary": "Yes.",
        "quote": "Staff keep ownership.",
        "version": version,
    }
    if "actor" not in fields:
        values["actor"] = build_actor()
    return Position.objects.create(**(values | fields))
