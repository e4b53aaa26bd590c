"""Public pages. They show published records only, whoever is logged in: branches see their
drafts in the workspace, never here."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from mutualwatch.analysis import queries as fates_queries
from mutualwatch.branches.permissions import Action, Kind, can, role_names
from mutualwatch.councils import queries as councils_queries
from mutualwatch.matching.queries import registered_body_of
from mutualwatch.page_cache import cached_for_visitors
from mutualwatch.procurement import queries as procurement_queries
from mutualwatch.publishing import charts, search, stories, workforce
from mutualwatch.publishing import network as network_page
from mutualwatch.publishing import queries as public
from mutualwatch.publishing.csv_download import csv_link, csv_response, wants_csv
from mutualwatch.publishing.models import SearchKind
from mutualwatch.publishing.source import cached_source_archive
from mutualwatch.register.exchange import partial_date_text
from mutualwatch.register.history import history_seen_by
from mutualwatch.register.models import (
    Arrangement,
    Authority,
    AuthorityKind,
    Event,
    LegalForm,
    Nation,
    Provider,
    ServiceArea,
    Source,
)

DOCS = Path(settings.BASE_DIR) / "docs"
CONTRACTS_SHOWN = 50
# Long lists are shown a page at a time; their CSV downloads hold every row.
ROWS_PER_PAGE = 100


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _page(request: HttpRequest, rows: Any, count: int | None = None) -> Page:
    paginator = Paginator(rows, ROWS_PER_PAGE)
    if count is not None:
        paginator.count = count  # counted already, with the page's other figures
    return paginator.get_page(request.GET.get("page"))


def _chart(build: Callable[..., dict[str, Any]], *args: Any) -> str:
    # SVG rendered by vl-convert from our own data.
    return mark_safe(charts.cached_svg(build, *args))  # noqa: S308


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    overview = public.national_overview(timezone.localdate())
    chart_now = _chart(
        charts.bar_chart,
        overview.delivery_now,
        "legal_form",
        "arrangements",
        "Services by kind of provider, now",
    )
    chart_time = _chart(
        charts.stacked_area_chart,
        overview.delivery_over_time,
        "year",
        "arrangements",
        "legal_form",
        "Arrangements running each year, by kind of provider",
    )
    chart_fates = _chart(charts.bar_chart, overview.fates, "event", "events", "What has happened")
    return render(
        request,
        "publishing/home.html",
        {
            "overview": overview,
            "chart_now": chart_now,
            "chart_time": chart_time if overview.delivery_over_time else "",
            "chart_fates": chart_fates if overview.fates else "",
            "fates_chart": _fates_svg("headline"),
        },
    )


@cached_for_visitors
def authority_list(request: HttpRequest) -> HttpResponse:
    filters = {
        name: request.GET.get(name, "").strip() for name in ("q", "nation", "kind", "network")
    }
    authorities = public.filtered_authorities(
        filters["q"], filters["nation"], filters["kind"], filters["network"]
    )
    if wants_csv(request):
        return csv_response(
            "councils",
            ["gss_code", "name", "kind", "nation", "region", "end_date", "replaced_by"],
            ([a[field] or "" for field in public.AUTHORITY_LIST_FIELDS] for a in authorities),
        )
    context = {
        "page": _page(request, authorities),
        "filters": filters,
        "nations": Nation.choices,
        "kinds": AuthorityKind.choices,
        "csv_link": csv_link(request),
    }
    template = (
        "publishing/_authority_rows.html" if _is_htmx(request) else "publishing/authorities.html"
    )
    return render(request, template, context)


@cached_for_visitors
def authority_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = get_object_or_404(
        Authority.objects.select_related("replaced_by"), gss_code=gss_code
    )
    if wants_csv(request):
        return _arrangements_csv(
            f"{authority.gss_code}-arrangements",
            list(public.published_arrangements().filter(authority=authority)),
        )
    page = public.authority_page(authority.pk)
    bars = stories.timeline_bars([row["record"] for row in page.arrangements], page.cut_off)
    marks = stories.timeline_marks(row["record"] for row in page.events)
    timeline = mark_safe(charts.timeline_svg(bars, marks))  # noqa: S308 (our own SVG)
    return render(
        request,
        "publishing/authority.html",
        {
            "authority": authority,
            "rows": page.arrangements,
            "events": page.events,
            "memberships": page.memberships,
            "cut_off": page.cut_off,
            "timeline": timeline,
            "timeline_summary": stories.timeline_summary(bars, marks),
            "legend": stories.legend(bars),
            "mark_legend": stories.mark_legend(marks),
            "contracts_section": _contracts_section(authority.pk),
            "processes": procurement_queries.latest_processes_of(authority.pk),
            # Predecessors, successors and what this council inherited.
            "reorganisation": councils_queries.reorganisation_of(authority, public.PUBLIC),
            "staff": _council_staff(authority.name),
            "csv_link": csv_link(request),
        },
    )


def _council_staff(name: str) -> dict[str, Any] | None:
    """The council's own rows of the latest workforce tables, if any of them was published."""
    release = public.latest_workforce_release()
    if release is None:
        return None
    table = workforce.authority_rows(release, workforce.COUNCIL_TABLE, name)
    return {"release": release, "table": table} if table else None


def _contracts_section(authority_id: int) -> SafeString:
    """The council page's contracts, a few hundred rows, rendered once per version of the
    register and the procurement data."""
    html = public.once_per_version(
        f"council-contracts-html:{authority_id}",
        str,
        lambda: render_to_string(
            "publishing/_council_contracts.html",
            {"contracts": public.council_contracts(authority_id)},
        ),
    )
    return mark_safe(html)  # noqa: S308 (rendered by our own template, escaped there)


@cached_for_visitors
def provider_list(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip() for name in ("q", "legal_form")}
    providers = public.filtered_providers(filters["q"], filters["legal_form"])
    if wants_csv(request):
        return csv_response(
            "providers",
            ["uid", "name", "legal_form", "arrangements"],
            ([p[field] for field in public.PROVIDER_LIST_FIELDS] for p in providers),
        )
    context = {
        "page": _page(request, providers),
        "filters": filters,
        "legal_forms": LegalForm.choices,
        "csv_link": csv_link(request),
    }
    template = (
        "publishing/_provider_rows.html" if _is_htmx(request) else "publishing/providers.html"
    )
    return render(request, template, context)


@cached_for_visitors
def provider_detail(request: HttpRequest, uid: str) -> HttpResponse:
    provider = get_object_or_404(public.published_providers(), uid=uid)
    # Read directly: prefetching two small lists cost more than three queries.
    identifiers = list(provider.identifiers.all())
    former_names = list(provider.former_names.all())
    arrangements = public.provider_arrangements(provider)
    events = public.provider_events(provider)
    further = public.provider_event_further_citations(provider)
    controls = list(provider.controls.select_related("controller").order_by("start_date"))
    registered = registered_body_of(provider)
    awards = procurement_queries.awards_to_suppliers_identified_as(
        [(i.scheme, i.identifier) for i in identifiers]
    )[:CONTRACTS_SHOWN]
    sources = public.published_sources_among(
        [e["source_id"] for e in events]
        + [pk for pks in further.values() for pk in pks]
        + [c.source_id for c in controls]
    )
    return render(
        request,
        "publishing/provider.html",
        {
            "provider": provider,
            "identifiers": identifiers,
            "former_names": former_names,
            "arrangements": arrangements,
            "events": public.with_sources(events, further, sources),
            "controls": [{"control": c, "source": sources.get(c.source_id)} for c in controls],
            "registered": registered,
            "awards": list(awards),
        },
    )


@cached_for_visitors
def service_area_list(request: HttpRequest) -> HttpResponse:
    areas = public.service_areas_with_counts()
    if wants_csv(request):
        return csv_response(
            "services",
            ["code", "name", "arrangements"],
            ([a.code, a.name, a.arrangement_count] for a in areas),  # type: ignore[attr-defined]
        )
    return render(
        request, "publishing/service_areas.html", {"areas": areas, "csv_link": csv_link(request)}
    )


@cached_for_visitors
def service_area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(ServiceArea, code=code)
    legal_form = request.GET.get("legal_form", "").strip()
    if wants_csv(request):
        arrangements = public.service_area_arrangements(area, legal_form)
        return _arrangements_csv(f"{area.code}-arrangements", list(arrangements))
    by_form, count = public.service_area_delivery_now(area, legal_form, timezone.localdate())
    # The page's ids from the order kept per register version, then those rows whole.
    page = _page(request, public.service_area_arrangement_ids(area, legal_form), count)
    page.object_list = public.service_area_rows(list(page.object_list))
    survival = fates_queries.service_area_survival(area.code)
    survival_svg = ""
    if survival and not survival["too_few"]:
        title = f"{area.name}: spin-outs over time"
        survival_svg = _chart(charts.survival_chart, survival["points"], title)
    context = {
        "area": area,
        "survival": survival,
        "survival_chart": survival_svg,
        "page": page,
        "filters": {"legal_form": legal_form},
        "legal_forms": LegalForm.choices,
        "chart": _chart(
            charts.bar_chart,
            by_form,
            "legal_form",
            "arrangements",
            f"{area.name}: who delivers it now",
        )
        if page.paginator.count
        else "",
        "csv_link": csv_link(request),
    }
    template = (
        "publishing/_service_area_rows.html"
        if _is_htmx(request)
        else "publishing/service_area.html"
    )
    return render(request, template, context)


@cached_for_visitors
def network(request: HttpRequest) -> HttpResponse:
    memberships = list(network_page.network_members())
    if wants_csv(request):
        return csv_response(
            "co-operative-councils-network",
            network_page.CSV_COLUMNS,
            (network_page.csv_row(m) for m in memberships),
        )
    today = timezone.localdate()
    over_time = network_page.network_over_time(memberships, today)
    by_form, arrangement_count = public.network_delivery_now(today)
    title = "Network councils: who delivers their services now"
    return render(
        request,
        "publishing/network.html",
        {
            "memberships": memberships,
            "over_time": over_time,
            "membership_chart": _chart(
                charts.yearly_bars_chart,
                over_time.memberships,
                "members",
                "tier",
                network_page.TIER_LABELS,
                "Members of the network each year, by tier",
            )
            if over_time.memberships
            else "",
            "comparison_chart": _chart(
                charts.yearly_bars_chart,
                network_page.comparison_chart_rows(over_time.comparison),
                "count",
                "series",
                list(network_page.COMPARISON_SERIES.values()),
                "Spin-outs started and services brought back in-house, member and other councils",
                True,
            )
            if over_time.comparison
            else "",
            "chart": _chart(charts.bar_chart, by_form, "legal_form", "arrangements", title)
            if arrangement_count
            else "",
            "fates_chart": _fates_svg("private-by-network"),
            "csv_link": csv_link(request),
        },
    )


def _fates_svg(name: str) -> str:
    """A precomputed chart of the fates analysis, or nothing before it has first run."""
    svg = fates_queries.latest_display_svg(name)
    return mark_safe(svg) if svg else ""  # noqa: S308


@cached_for_visitors
def contract_detail(request: HttpRequest, ocid: str) -> HttpResponse:
    """A procurement process as published, with its compiled release for download."""
    process = procurement_queries.process_with_details(ocid)
    if process is None:
        raise Http404("No such procurement process.")
    if request.GET.get("format") == "json":
        response = JsonResponse(process.compiled, json_dumps_params={"indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{ocid}-compiled.json"'
        return response
    rows = public.contract_award_rows(process)
    return render(request, "publishing/contract.html", {"process": process, "awards": rows})


@cached_for_visitors
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    groups = search.search(query, kind if kind in SearchKind.values else "") if query else []
    template = "publishing/_search_results.html" if _is_htmx(request) else "publishing/search.html"
    return render(
        request,
        template,
        {"query": query, "kind": kind, "kinds": SearchKind.choices, "groups": groups},
    )


def _markdown_page(request: HttpRequest, name: str, title: str) -> HttpResponse:
    text = (DOCS / name).read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "toc"], output_format="html")
    return render(
        request,
        "publishing/methods.html",
        {"content": mark_safe(html), "title": title},  # noqa: S308 (our own docs)
    )


@cached_for_visitors
def methods(request: HttpRequest) -> HttpResponse:
    """The methods-and-sources page, written in Markdown in docs/methods.md."""
    return _markdown_page(request, "methods.md", "Methods and sources")


@cached_for_visitors
def workforce_method(request: HttpRequest) -> HttpResponse:
    """How the workforce tables are made and protected: docs/methods-workforce.md."""
    return _markdown_page(request, "methods-workforce.md", "How the staff tables are made")


def _workforce_chart(release: workforce.Release, key: str) -> dict[str, Any] | None:
    """One table of the release drawn, with its summary, its key and its figures."""
    spec = release.spec(key)
    if spec is None:
        return None
    if spec.counts:
        data = workforce.share_chart(release, key)
    else:
        data = workforce.mean_chart(release, key)
    if data is None:
        return None
    svg = ""
    reference = workforce.REFERENCE_LINES.get(spec.measure or "")
    if data.rows and spec.counts:
        svg = _chart(charts.share_bars_chart, data.rows, data.colours, spec.title)
    elif data.rows:
        svg = _chart(
            charts.mean_bars_chart,
            data.rows,
            data.colours,
            spec.title,
            workforce.attribute_title(spec.measure or ""),
            reference[0] if reference else None,
        )
    return {
        "key": key,
        "title": spec.title,
        "svg": svg,
        "data": data,
        "table": workforce.data_table(release, key),
        "reference": reference,
    }


@cached_for_visitors
def workforce_impact(request: HttpRequest) -> HttpResponse:
    """What transfer did to the staff: the latest publication's protected tables, drawn."""
    release = public.latest_workforce_release()
    if release is None:
        return render(request, "publishing/workforce.html", {"release": None})
    sections = []
    for section_id, heading, keys in workforce.CHARTED:
        drawn = [chart for key in keys if (chart := _workforce_chart(release, key))]
        if drawn:
            sections.append({"id": section_id, "heading": heading, "charts": drawn})
    charted = {key for _, _, keys in workforce.CHARTED for key in keys}
    others = [
        workforce.data_table(release, spec.key) for spec in release.specs if spec.key not in charted
    ]
    return render(
        request,
        "publishing/workforce.html",
        {"release": release, "sections": sections, "others": others},
    )


@cached_for_visitors
def workforce_csv(request: HttpRequest, number: int) -> HttpResponse:
    """Every cell of one publication, withheld ones included, saying why."""
    release = public.workforce_release(number)
    if release is None:
        raise Http404("No such release of the workforce tables.")
    return csv_response(
        f"workforce-release-{number}", workforce.CSV_COLUMNS, workforce.csv_rows(release)
    )


@cached_for_visitors
def source_detail(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        source = get_object_or_404(public.published_sources(), uid=uid)
    except ValidationError:
        raise Http404("No such source.") from None
    return render(request, "publishing/source.html", {"source": source})


def _arrangements_csv(filename: str, arrangements: list[Arrangement]) -> HttpResponse:
    return csv_response(
        filename,
        [
            "authority",
            "gss_code",
            "service",
            "provider",
            "legal_form",
            "start",
            "end",
            "origin",
            "source",
        ],
        (
            [
                a.authority.name,
                a.authority.gss_code,
                a.service_area.name,
                a.provider.name,
                a.provider.legal_form,
                partial_date_text(a.start_date, a.start_precision),
                partial_date_text(a.end_date, a.end_precision),
                a.origin,
                a.source.url,
            ]
            for a in arrangements
        ),
    )


HISTORY_KINDS: dict[str, tuple[Kind, Any, str]] = {
    "authority": (Kind.AUTHORITY, Authority, "gss_code"),
    "service-area": (Kind.SERVICE_AREA, ServiceArea, "code"),
    "provider": (Kind.PROVIDER, Provider, "uid"),
    "source": (Kind.SOURCE, Source, "uid"),
    "arrangement": (Kind.ARRANGEMENT, Arrangement, "uid"),
    "event": (Kind.EVENT, Event, "uid"),
}


@login_required
def record_history(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A record's full history, for people who may see the record."""
    if kind not in HISTORY_KINDS:
        raise Http404("No such kind of record.")
    permission_kind, model, key_field = HISTORY_KINDS[kind]
    try:
        record = model.objects.get(**{key_field: key})
    except (model.DoesNotExist, ValidationError):
        raise Http404("No such record.") from None
    if not can(request.user, Action.VIEW, permission_kind, record):
        raise Http404("No such record.")
    may_see_names = bool({"national researcher", "administrator"} & set(role_names(request.user)))
    return render(
        request,
        "publishing/history.html",
        {
            "record": record,
            "kind": kind,
            "entries": history_seen_by(record, request.user, names_visible=may_see_names),
        },
    )


def source_code(request: HttpRequest) -> HttpResponseBase:
    """The site's source code (GNU AGPL, section 13): where the host publishes it, or an
    archive of the files this site runs from."""
    if settings.SOURCE_URL:
        return redirect(settings.SOURCE_URL)
    archive = cached_source_archive(settings.BASE_DIR, settings.DATA_DIR / "source")
    return FileResponse(
        archive.open("rb"),
        as_attachment=True,
        filename="mutualwatch-source.tar.gz",
        content_type="application/gzip",
    )
