"""The long lists of the council and service pages, and the rows of the councils and
providers lists, as HTML built in Python.

A national council page shows about fifty arrangements and forty events, eight values each,
and a service page a hundred rows. Django's template engine resolved, filtered and escaped
each value through several layers: half of such a page's time. These filters write the same
markup with one escape per value. The values are the plain ones ``publishing.queries`` reads
(``AUTHORITY_PAGE_ARRANGEMENT_FIELDS``, ``EVENT_FIELDS``, ``SERVICE_AREA_ROW_FIELDS``).
"""

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from mutualwatch.dates import day
from mutualwatch.dates import partial_day as partial_day_text
from mutualwatch.html_rows import value_row
from mutualwatch.publishing.queries import AUTHORITY_KIND_LABELS
from mutualwatch.publishing.templatetags.plain import money_html
from mutualwatch.publishing.templatetags.record_links import (
    RecordUrl,
    citation_links,
    record_link,
    record_urls,
)
from mutualwatch.register.labels import (
    LEGAL_FORM_LABELS,
    NETWORK_MEMBER_TYPE_LABELS,
    NETWORK_TIER_LABELS,
)
from mutualwatch.register.models import JoinedBasis, NetworkMemberType, NetworkTier, ReviewState

register = template.Library()


def _rows(rows: Iterable[str], empty: str = "") -> SafeString:
    """Rows built here, one to a line, or ``empty`` if there are none."""
    return mark_safe("\n".join(rows) or empty)  # noqa: S308 (each row escapes its values)


def _linked_rows(
    build: Callable[[Any, RecordUrl], str], items: Iterable[Any], empty: str = ""
) -> SafeString:
    """``_rows`` of items whose rows link to records, through one ``record_urls``."""
    url = record_urls()
    return _rows((build(item, url) for item in items), empty)


@register.filter
def value_rows(rows: Iterable[Mapping[str, Any]], keys: str) -> SafeString:
    """``{{ rows|value_rows:"year,legal_form,arrangements" }}``: a row of those values per
    mapping, as the figures' tables under the charts print them."""
    wanted = keys.split(",")
    return _rows(value_row(row[key] for key in wanted) for row in rows)


def _until(row: Mapping[str, Any]) -> str:
    return partial_day_text(row["end_date"], row["end_precision"]) or "now"


def _since(row: Mapping[str, Any]) -> str:
    return escape(partial_day_text(row["start_date"], row["start_precision"]))


def _cells(*labelled: tuple[str, str]) -> str:
    """Table cells each carrying its column's name, which a phone shows beside the value when
    the table is stacked as cards."""
    return "".join(f'<td data-label="{label}"><div>{cell}</div></td>' for label, cell in labelled)


def _arrangement_row(
    a: Mapping[str, Any], sources: Iterable[Any], fate: Any, url: RecordUrl
) -> str:
    service = record_link(
        a["service_area__code"], "service-area-detail", a["service_area__name"], url
    )
    provider = record_link(a["provider__uid"], "provider-detail", a["provider__name"], url)
    form = LEGAL_FORM_LABELS.get(a["provider__legal_form"], a["provider__legal_form"])
    ended = f'<span class="fate{" ended" if fate.ended else ""}">{escape(str(fate))}</span>'
    return (
        "<tr>"
        + _cells(
            ("Service", service),
            ("Provider", f'{provider} <span class="kind">{escape(form)}</span>'),
            ("From", _since(a)),
            ("To", escape(_until(a))),
            ("How it began", escape(a["origin_label"])),
            ("How it ended", ended),
            ("Sources", citation_links(sources, url)),
        )
        + "</tr>"
    )


@register.filter
def authority_arrangement_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rows of a council's "who delivers its services" table: each ``{"record": ...,
    "sources": [...]}``."""
    return _linked_rows(
        lambda row, url: _arrangement_row(row["record"], row["sources"], row["fate"], url), rows
    )


def _event_item(e: Mapping[str, Any], sources: Iterable[Any], url: RecordUrl) -> str:
    description = f". {escape(e['description'])}" if e["description"] else ""
    return (
        f"<li><strong>{escape(partial_day_text(e['date'], e['date_precision']))}</strong> "
        f"{escape(e['event_label'])}: {escape(e['arrangement__service_area__name'])}"
        f"{description} ({citation_links(sources, url)})</li>"
    )


@register.filter
def event_items(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """A council's timeline of events, as list items: each ``{"record": ..., "sources": [...]}``."""
    return _linked_rows(lambda row, url: _event_item(row["record"], row["sources"], url), rows)


def _service_area_row(a: Mapping[str, Any], url: RecordUrl) -> str:
    authority = record_link(a["authority__gss_code"], "authority-detail", a["authority__name"], url)
    provider = record_link(a["provider__uid"], "provider-detail", a["provider__name"], url)
    source = record_link(a["source__uid"], "source-detail", a["source__title"], url)
    return (
        f"<tr><td>{authority}</td><td>{provider} ({escape(a['legal_form'])})</td>"
        f"<td>{_since(a)}</td><td>{escape(_until(a))}</td><td>{source}</td></tr>"
    )


@register.filter
def service_area_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rows of a service area's table of arrangements, or one saying there are none."""
    return _linked_rows(
        _service_area_row, rows, '<tr><td colspan="5">No published arrangements.</td></tr>'
    )


def _authority_row(authority: Mapping[str, Any], url: RecordUrl) -> str:
    name = record_link(authority["gss_code"], "authority-detail", authority["name"], url)
    if authority["end_date"]:
        name += f" (abolished {authority['end_date'].year})"
    kind = AUTHORITY_KIND_LABELS.get(authority["kind"], authority["kind"])
    return (
        f"<tr><td>{name}</td><td>{escape(authority['gss_code'])}</td>"
        f"<td>{escape(kind)}</td><td>{escape(authority['region'])}</td></tr>"
    )


@register.filter
def authority_rows(authorities: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rows of the councils list, from ``queries.AUTHORITY_LIST_FIELDS``."""
    return _linked_rows(
        _authority_row, authorities, '<tr><td colspan="4">No council matches.</td></tr>'
    )


def _provider_row(provider: Mapping[str, Any], url: RecordUrl) -> str:
    name = record_link(provider["uid"], "provider-detail", provider["name"], url)
    form = LEGAL_FORM_LABELS.get(provider["legal_form"], provider["legal_form"])
    return (
        f"<tr><td>{name}</td><td>{escape(form)}</td><td>{provider['arrangement_count']:d}</td></tr>"
    )


@register.filter
def provider_rows(providers: Iterable[Mapping[str, Any]]) -> SafeString:
    """The rows of the providers list, from ``queries.PROVIDER_LIST_FIELDS``."""
    return _linked_rows(
        _provider_row, providers, '<tr><td colspan="3">No provider matches.</td></tr>'
    )


def _joined(joined_on: Any, precision: str, basis: str) -> str:
    when = partial_day_text(joined_on, precision)
    return f"first listed {when}" if basis == JoinedBasis.FIRST_LISTED else when


def _cited(uid: Any, title: str, state: str, url: RecordUrl) -> str:
    """A link to the source's page, or why there is none."""
    if uid is None:
        return "No source recorded"
    if state != ReviewState.PUBLISHED:
        return "Source not yet published"
    return record_link(uid, "source-detail", title, url)


def _member(name: str, member_type: str, authority: Any, url: RecordUrl) -> str:
    if authority is None:
        return escape(name)
    council = record_link(authority.gss_code, "authority-detail", authority.name, url)
    if member_type == NetworkMemberType.OPPOSITION_GROUP:
        return f"{escape(name)} (opposition group on {council})"
    if name == authority.name:
        return council
    return f"{escape(name)} ({council})"


def _membership_row(membership: Any, url: RecordUrl) -> str:
    m = membership
    source = m.source
    cells = [
        ("Member", _member(m.member_name, m.member_type, m.authority, url)),
        ("Type", escape(NETWORK_MEMBER_TYPE_LABELS[m.member_type])),
        ("Tier", escape(NETWORK_TIER_LABELS[m.tier])),
        ("Joined", escape(_joined(m.joined_on, m.joined_precision, m.joined_basis))),
        (
            "Left",
            escape(partial_day_text(m.left_on, m.left_precision))
            if m.left_on
            else "still a member",
        ),
        (
            "Source",
            _cited(
                source.uid if source else None,
                source.title if source else "",
                source.state if source else "",
                url,
            ),
        ),
    ]
    return (
        "<tr>" + "".join(f'<td data-label="{label}">{cell}</td>' for label, cell in cells) + "</tr>"
    )


@register.filter
def membership_rows(memberships: Iterable[Any]) -> SafeString:
    """The rows of the network page's table of memberships, each with its ``authority`` and
    ``source``."""
    return _linked_rows(
        _membership_row, memberships, '<tr><td colspan="6">No memberships recorded.</td></tr>'
    )


def _membership_sentence(m: Mapping[str, Any], url: RecordUrl) -> str:
    tier = NetworkTier(m["tier"])
    joined = _joined(m["joined_on"], m["joined_precision"], m["joined_basis"])
    network = f'<a href="{escape(reverse("network"))}">Co-operative Councils Network</a>'
    when = f"from {escape(joined)}" if m["joined_basis"] == JoinedBasis.JOINED else escape(joined)
    if m["left_on"]:
        when += f" to {escape(partial_day_text(m['left_on'], m['left_precision']))}"
    kind = "Member" if tier == NetworkTier.UNSTATED else tier.label
    if m["member_type"] == NetworkMemberType.OPPOSITION_GROUP:
        who = (
            f"{escape(m['member_name'])}, an opposition group on the council (not the council "
            f"itself): {kind.lower()} of the {network}"
        )
    else:
        who = f"{kind} of the {network}"
    source = _cited(m["source__uid"], m["source__title"] or "", m["source__state"] or "", url)
    return f"<p>{who}, {when}. Source: {source}.</p>"


@register.filter
def membership_sentences(memberships: Iterable[Mapping[str, Any]]) -> SafeString:
    """What a council's page says of its memberships of the network and its opposition
    groups', each citing its source."""
    return _linked_rows(_membership_sentence, memberships)


def _award_row(award: Any, with_supplier: bool, url: RecordUrl) -> str:
    contract = record_link(award.ocid, "contract-detail", award.title or "(untitled)", url)
    cells = [("Contract", contract)]
    if with_supplier:
        cells.append(("Supplier", escape(award.supplier)))
    cells += [
        ("Awarded", escape(day(award.awarded_on))),
        ("Value", money_html(award.value_amount, award.value_currency)),
        ("Ends", escape(day(award.ends_on))),
    ]
    return (
        "<tr>"
        + "".join(
            f'<td data-label="{label}"{CELL_CLASSES.get(label, "")}><div>{cell}</div></td>'
            for label, cell in cells
        )
        + "</tr>"
    )


CELL_CLASSES = {"Awarded": ' class="date"', "Ends": ' class="date"', "Value": ' class="number"'}


@register.filter
def award_rows(awards: Iterable[Any], with_supplier: bool = False) -> SafeString:
    """The rows of a council's table of the awards to one provider (``AwardedContract``s),
    naming each supplier when the table is of suppliers in no provider's name."""
    return _linked_rows(lambda award, url: _award_row(award, with_supplier, url), awards)
