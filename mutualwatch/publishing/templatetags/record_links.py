"""Links to public record pages, built without a URL reversal per link.

A national council or service page links a few hundred records; ``{% url %}`` reverses each
one afresh, which was over a third of such a page's rendering. The pattern of each record page
is reversed once (per URL configuration) and the record's key set into it, quoted as
``reverse`` quotes it.
"""

import functools
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

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


@register.filter
def record_url(key: object, name: str) -> str:
    """``{{ source.uid|record_url:"source-detail" }}``, the same path as
    ``{% url "source-detail" source.uid %}``."""
    before, after = _around(name, get_urlconf(settings.ROOT_URLCONF), get_script_prefix())
    return before + quote(str(key), safe=SAFE) + after


@register.filter
def citations(sources: Iterable[Any]) -> SafeString:
    """A record's sources as numbered links, ``[1] Title; [2] Title``: built here rather than
    by an included template, which a council page would include once per row."""
    return format_html_join(
        "; ",
        '<a href="{}">[{}] {}</a>',
        (
            (record_url(source.uid, "source-detail"), number, source.title)
            for number, source in enumerate(sources, start=1)
        ),
    )
