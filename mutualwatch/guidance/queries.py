"""Reads for the guidance library's pages: what a person may see, the matched guidance for a
campaign's stage and service, and the positions compared side by side."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from mutualwatch.branches.permissions import Kind, visible_filter
from mutualwatch.guidance.models import Actor, Document, DocumentVersion, Position, Question
from mutualwatch.register.models import ReviewState


def published_documents() -> QuerySet[Document]:
    """What the public pages show, whoever is looking: published documents only."""
    return Document.objects.filter(state=ReviewState.PUBLISHED)


def visible_documents(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(visible_filter(user, Kind.GUIDANCE))


def latest_version(document: Document) -> DocumentVersion | None:
    return document.versions.select_related("source").order_by("-number").first()


def library(
    *, kind: str = "", topic: str = "", stage: str = "", service_area: str = ""
) -> list[Document]:
    """Published documents, filtered: by kind, topic (code), stage (a document with no stage
    set helps at any stage) and service area (code; likewise), by title."""
    documents = published_documents().prefetch_related("topics", "service_areas")
    if kind:
        documents = documents.filter(kind=kind)
    if topic:
        documents = documents.filter(topics__code=topic)
    found = list(documents.distinct())
    if stage:
        found = [d for d in found if not d.stages or stage in d.stages]
    if service_area:
        found = [
            d
            for d in found
            if not d.service_areas.all() or service_area in {a.code for a in d.service_areas.all()}
        ]
    return found


def match_score(document: Document, stage: str, service_area: str) -> int | None:
    """How well a document fits a case at ``stage`` about ``service_area``: 2 when both its
    stages and its services name the case's, 1 when one does and the other is left open
    (none set: any), 0 when both are left open (general guidance); None when either names
    others only."""
    stages = document.stages or []
    areas = {area.code for area in document.service_areas.all()}
    if stages and stage not in stages:
        return None
    if areas and service_area not in areas:
        return None
    return int(bool(stages)) + int(bool(areas))


def matched_documents(stage: str, service_area: str) -> list[Document]:
    """The published guidance for a case at this stage about this service: best matches
    first (both match, then one, then general guidance), then by title."""
    scored = []
    for document in published_documents().prefetch_related("service_areas", "topics"):
        score = match_score(document, stage, service_area)
        if score is not None:
            scored.append((-score, document.title, document.pk, document))
    return [document for *_, document in sorted(scored, key=lambda row: row[:3])]


@dataclass(frozen=True)
class Cell:
    actor: Actor
    position: Position | None


@dataclass(frozen=True)
class QuestionRow:
    code: str
    label: str
    cells: list[Cell]


def public_positions() -> QuerySet[Position]:
    """Positions quoted from published documents only: each links to the version it quotes."""
    return Position.objects.filter(version__document__state=ReviewState.PUBLISHED).select_related(
        "actor", "version__document", "version__source"
    )


def positions_table(questions: list[str] | None = None) -> tuple[list[Actor], list[QuestionRow]]:
    """Every actor, and for each question (or those given) each actor's position, or None
    where no position was found in the library."""
    actors = list(Actor.objects.all())
    found = {(p.actor_id, p.question): p for p in public_positions()}
    rows = [
        QuestionRow(
            code,
            label,
            [Cell(actor, found.get((actor.pk, code))) for actor in actors],
        )
        for code, label in Question.choices
        if questions is None or code in questions
    ]
    return actors, rows


def document_with_versions(document_id: int) -> QuerySet[Document]:
    return (
        published_documents()
        .filter(pk=document_id)
        .prefetch_related(
            "topics",
            "service_areas",
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("source")),
        )
    )
