"""OCDS codes on public pages read as the standard's titles."""

import pytest
from django.template import Context, Template

from mutualwatch.procurement.standard import code_title


@pytest.mark.parametrize(
    ("code", "shown"), [("open", "Open"), ("selective", "Selective"), ("direct", "Direct")]
)
def test_a_procurement_method_reads_as_its_title(code, shown):
    assert code_title("method.csv", code) == shown
    rendered = Template("{% load plain %}{{ code|procurement_method }}").render(
        Context({"code": code})
    )
    assert rendered == shown


def test_a_code_the_codelist_lacks_is_shown_as_published():
    assert code_title("method.csv", "negotiated-without-call") == "negotiated-without-call"
    assert code_title("noSuchList.csv", "open") == "open"
