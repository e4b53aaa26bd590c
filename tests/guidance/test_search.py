"""Published guidance is in the site's search, kept in step on publish and unpublish and by a
rebuild; the same results in the same order on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command

from mutualwatch.guidance import services
from mutualwatch.guidance.models import Topic
from mutualwatch.publishing.models import SearchDocument, SearchKind
from mutualwatch.publishing.search import search
from tests.guidance.builders import add_version, build_document

pytestmark = pytest.mark.django_db


def titles(text: str, kind: str = SearchKind.GUIDANCE) -> list[str]:
    return [result.title for group in search(text, kind) for result in group.results]


def test_published_guidance_is_found_by_a_word_in_its_text_title_first_then_body():
    build_document("Pensions after transfer.", title="Admitted body status")
    build_document("Ask whether the employer becomes an admitted body.", title="B pensions")
    build_document("Ask about admitted bodies.", title="A pensions note")
    build_document("An admitted body, unpublished.", title="Draft", state="submitted")
    # names first (shortest title), then the body's matches by title
    assert titles("admitted") == ["Admitted body status", "A pensions note", "B pensions"]
    assert search("admitted")[0].label == "Guidance"


def test_publishing_indexes_a_document_and_sending_it_back_removes_it(person):
    researcher, other = person("national researcher"), person("national researcher")
    document = build_document("The community right to challenge.", state="draft")
    document.created_by = researcher
    document.save()
    assert titles("challenge") == []
    services.move_document_through_review(researcher, document, "submit")
    services.move_document_through_review(other, document, "verify")
    services.move_document_through_review(researcher, document, "publish")
    assert titles("challenge") == [document.title]
    services.add_version(
        researcher,
        document,
        text="Expressions of interest.",
        dated=document.versions.get().dated,
        source=document.versions.get().source,
    )
    assert titles("challenge") == []  # the latest version's text is what is searched
    assert titles("expressions") == [document.title]
    document.topics.add(Topic.objects.create(code="crtc", name="Community right"))
    assert titles("community") == [document.title]
    document.state = "draft"
    document.save()
    assert titles("expressions") == []


def test_a_rebuild_indexes_published_guidance():
    document = build_document("Insourcing leisure.", title="Leisure back in-house")
    add_version(document, "Insourcing leisure centres.")
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    assert titles("centres") == ["Leisure back in-house"]
    [indexed] = SearchDocument.objects.filter(kind=SearchKind.GUIDANCE)
    assert indexed.url == f"/guidance/{document.pk}/"
