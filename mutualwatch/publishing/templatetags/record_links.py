"""Links to public record pages, built without a URL reversal per link.

A national council or service page links a few hundred records; ``{% url %}`` reverses each
one afresh, which was over a third of such a page's rendering. The pattern of each record page
is reversed once (per URL configuration) and the record's key set into it, quoted as
``reverse`` quotes it.
"""

import functools
from collections.abc import Callable, Iterable
from html import escape
from typing import Any
from urllib.parse import quote
from uuid import UUID

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A key every record page's converter accepts (uuid, slug and str alike).
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
# What django.urls.reverse leaves unquoted in a path.
SAFE = "!$&'()*+,;=/~:@"


@functools.cache
def _around(name: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    """What comes before and after the key in the page's path."""
    before, _, after = reverse(name, urlconf=urlconf, args=[PLACEHOLDER]).partition(PLACEHOLDER)
    return before, after


RecordUrl = Callable[[object, str], str]


def _quoted(key: object) -> str:
    if isinstance(key, UUID):  # hex digits and hyphens: nothing to quote
        return str(key)
    return quote(str(key), safe=SAFE)


@register.filter
def record_url(key: object, name: str) -> str:
    """``{{ source.uid|record_url:"source-detail" }}``, the same path as
    ``{% url "source-detail" source.uid %}``."""
    return record_urls()(key, name)


def record_urls() -> RecordUrl:
    """``record_url`` for a list of many links: the request's URL configuration and script
    prefix read once, not per link (reading them was a third of a service page's links)."""
    urlconf, prefix = get_urlconf(settings.ROOT_URLCONF), get_script_prefix()

    def url(key: object, name: str) -> str:
        before, after = _around(name, urlconf, prefix)
        return before + _quoted(key) + after

    return url


def record_link(key: object, name: str, text: str, url: RecordUrl = record_url) -> str:
    """``<a href="(the record's page)">text</a>``, escaped."""
    return f'<a href="{escape(url(key, name))}">{escape(text)}</a>'


def citation_links(sources: Iterable[Any], url: RecordUrl = record_url) -> str:
    """A record's sources as numbered links, ``[1] Title; [2] Title``, escaped."""
    return "; ".join(
        _citation(source, f"[{number}] {source.title}", url)
        for number, source in enumerate(sources, start=1)
    )


def _citation(source: Any, text: str, url: RecordUrl) -> str:
    """A link to the source's page; where the source is published elsewhere, its address
    goes with it, for print (``data-source-url``, which the print stylesheet shows)."""
    link = record_link(source.uid, "source-detail", text, url)
    address = getattr(source, "url", "")
    if not address:
        return link
    return link.replace("<a ", f'<a data-source-url="{escape(address)}" ', 1)


@register.filter
def citations(sources: Iterable[Any]) -> SafeString:
    """``citation_links``: built here rather than by an included template, which a council page
    would include once per row."""
    return mark_safe(citation_links(sources))  # noqa: S308 (escaped in record_link)
