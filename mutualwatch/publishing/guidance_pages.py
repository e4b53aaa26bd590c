"""The guidance library's public pages and the positions compared side by side. They show
published documents only, whoever is logged in: researchers see drafts under
``/guidance/manage/`` (``guidance.manage``). Here, not in the guidance app, because the
library's search is the site's search (``publishing.search``), which indexes guidance: the
imports go publishing → guidance only."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from mutualwatch.campaigns.models import Stage
from mutualwatch.guidance import queries
from mutualwatch.guidance.diff import diff_texts
from mutualwatch.guidance.models import Document, DocumentKind, DocumentVersion, Question, Topic
from mutualwatch.publishing.models import SearchKind
from mutualwatch.publishing.search import search
from mutualwatch.register.models import ServiceArea

PER_PAGE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _choice(request: HttpRequest, name: str, allowed: set[str]) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "kind": _choice(request, "kind", set(DocumentKind.values)),
        "topic": _choice(request, "topic", set(Topic.objects.values_list("code", flat=True))),
        "stage": _choice(request, "stage", set(Stage.values)),
        "service_area": _choice(
            request, "service_area", set(ServiceArea.objects.values_list("code", flat=True))
        ),
    }


def library(request: HttpRequest) -> HttpResponse:
    """Every published document, filtered by kind, topic, stage and service; a search of
    their words (the site's search, restricted to guidance) orders them as it does."""
    filters = _filters(request)
    query = request.GET.get("q", "").strip()
    documents = queries.library(**filters)
    if query:
        by_url = {reverse("guidance:document", args=[d.pk]): d for d in documents}
        groups = search(query, SearchKind.GUIDANCE)
        found = [result.url for group in groups for result in group.results]
        documents = [by_url[url] for url in found if url in by_url]
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "documents": page,
        "query": query,
        "filters": filters,
        "kinds": DocumentKind.choices,
        "topics": Topic.objects.all(),
        "stages": Stage.choices,
        "service_areas": ServiceArea.objects.order_by("name"),
    }
    template = "guidance/_library_rows.html" if _is_htmx(request) else "guidance/library.html"
    return render(request, template, context)


def _published(pk: int) -> Document:
    return get_object_or_404(queries.document_with_versions(pk))


def document(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _published(pk)
    versions = list(shown.versions.all())
    if not versions:
        raise Http404("This document has no version yet.")
    return render(
        request,
        "guidance/document.html",
        {"document": shown, "version": versions[-1], "versions": versions, "latest": True},
    )


def _version(document: Document, number: int) -> DocumentVersion:
    for version in document.versions.all():
        if version.number == number:
            return version
    raise Http404(f"“{document}” has no version {number}.")


def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    shown = _published(pk)
    versions = list(shown.versions.all())
    return render(
        request,
        "guidance/document.html",
        {
            "document": shown,
            "version": _version(shown, number),
            "versions": versions,
            "latest": number == versions[-1].number,
        },
    )


def diff(request: HttpRequest, pk: int, a: int, b: int) -> HttpResponse:
    shown = _published(pk)
    old, new = _version(shown, a), _version(shown, b)
    return render(
        request,
        "guidance/diff.html",
        {"document": shown, "old": old, "new": new, "diff": diff_texts(old.text, new.text)},
    )


def matched(request: HttpRequest) -> HttpResponse:
    """The published guidance for a campaign at a stage about a service: a fragment for the
    case page (htmx), a page of its own otherwise."""
    stage = _choice(request, "stage", set(Stage.values))
    area_code = request.GET.get("service_area", "")
    area = ServiceArea.objects.filter(code=area_code).first()
    documents = queries.matched_documents(stage, area.code if area else "")
    context = {
        "documents": documents,
        "stage_label": dict(Stage.choices).get(stage, ""),
        "service_area": area,
    }
    template = "guidance/_matched.html" if _is_htmx(request) else "guidance/matched.html"
    return render(request, template, context)


def positions(request: HttpRequest, question: str = "") -> HttpResponse:
    """The table of questions by actors; for one question, each actor's position in full."""
    question = question or request.GET.get("question", "")
    if question and question not in Question.values:
        raise Http404("No such question.")
    actors, rows = queries.positions_table([question] if question else None)
    return render(
        request,
        "guidance/positions.html",
        {
            "actors": actors,
            "rows": rows,
            "question": question,
            "question_label": Question(question).label if question else "",
            "questions": Question.choices,
        },
    )
