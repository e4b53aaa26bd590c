"""The public pages: the library and its filters, a document, its versions and their
differences, the matched-guidance fragment and the positions. Published documents only."""

import datetime

import pytest

from mutualwatch.guidance.models import Topic
from mutualwatch.register.models import ServiceArea
from tests.guidance.builders import add_version, build_actor, build_document, build_position

pytestmark = pytest.mark.django_db


def test_the_library_lists_published_documents_only_and_filters_them(client):
    tupe = Topic.objects.create(code="tupe", name="TUPE")
    briefing = build_document(title="TUPE briefing", kind="briefing", stages=["transfer"])
    briefing.topics.add(tupe)
    build_document(title="Pledge text", kind="pledge")
    build_document(title="Unreviewed note", state="verified")
    page = client.get("/guidance/").content.decode()
    assert "TUPE briefing" in page
    assert "Pledge text" in page
    assert "Unreviewed note" not in page
    assert "Briefing" in page  # the kind's label, not its code
    assert "Pledge text" not in client.get("/guidance/?topic=tupe").content.decode()
    assert "Pledge text" not in client.get("/guidance/?kind=briefing").content.decode()
    # a document with no stage set helps at any stage
    at_decision = client.get("/guidance/?stage=decision").content.decode()
    assert "Pledge text" in at_decision
    assert "TUPE briefing" not in at_decision


def test_the_library_search_finds_words_in_the_text_of_published_documents(client):
    build_document("Ask whether the new employer will be an admitted body.", title="Pensions")
    build_document("Nothing about that here.", title="Other")
    build_document("An admitted body, but a draft.", title="Draft", state="draft")
    page = client.get("/guidance/?q=admitted").content.decode()
    assert "Pensions" in page
    assert "Other" not in page
    assert "Draft" not in page
    fragment = client.get("/guidance/?q=admitted", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b"Pensions" in fragment.content


def test_a_document_shows_its_latest_text_dated_with_its_source_and_every_version(client):
    document = build_document("First words.", title="Leisure guidance")
    second = add_version(
        document, "First words, and more.", dated=datetime.date(2019, 4, 1), change_note="More."
    )
    page = client.get(f"/guidance/{document.pk}/").content.decode()
    assert "First words, and more." in page
    assert "1\xa0April\xa02019" in page
    assert f"/sources/{second.source.uid}/" in page
    assert f"/guidance/{document.pk}/versions/1/" in page
    assert f"/guidance/{document.pk}/diff/1/2/" in page
    old = client.get(f"/guidance/{document.pk}/versions/1/").content.decode()
    assert "First words." in old
    assert "see the latest" in old
    diff = client.get(f"/guidance/{document.pk}/diff/1/2/").content.decode()
    assert "<ins> and more.</ins>" in diff or "<ins>" in diff
    assert "3 words added, 1 removed." in diff
    assert client.get(f"/guidance/{document.pk}/versions/3/").status_code == 404


def test_an_unpublished_document_and_its_versions_are_not_found(client, as_person, person):
    draft = build_document(title="Secret draft", state="submitted")
    for url in [
        f"/guidance/{draft.pk}/",
        f"/guidance/{draft.pk}/versions/1/",
        f"/guidance/{draft.pk}/diff/1/1/",
    ]:
        assert client.get(url).status_code == 404
        # the public pages show published documents only, whoever is logged in
        assert as_person(person("national researcher")).get(url).status_code == 404


def test_matched_guidance_puts_both_matches_first_then_one_then_general(client):
    leisure = ServiceArea.objects.get(code="leisure")
    libraries = ServiceArea.objects.get(code="libraries")
    both = build_document(title="Z both", stages=["decision"])
    both.service_areas.add(leisure)
    build_document(title="Y stage only", stages=["decision"])
    service_only = build_document(title="X service only")
    service_only.service_areas.add(leisure)
    build_document(title="W general")
    build_document(title="V other stage", stages=["transfer"])
    other_service = build_document(title="U other service")
    other_service.service_areas.add(libraries)
    build_document(title="T draft", state="draft")
    response = client.get(
        "/guidance/matched/?stage=decision&service_area=leisure", headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert b"<html" not in response.content
    found = [t for t in ["Z both", "X service only", "Y stage only", "W general"] if t in page]
    assert found == ["Z both", "X service only", "Y stage only", "W general"]
    assert sorted(page.index(title) for title in found) == [page.index(t) for t in found]
    for absent in ["V other stage", "U other service", "T draft"]:
        assert absent not in page
    assert "the decision stage, Leisure and sport" in page
    full = client.get("/guidance/matched/?stage=decision&service_area=leisure")
    assert b"<html" in full.content
    assert b"Z both" in full.content


def test_the_positions_table_shows_each_actors_summary_or_a_gap(client):
    council = build_actor(name="Council pledge", order=1)
    build_actor(name="Government programme", order=2)
    build_position(actor=council, question="savings", summary="Yes: it will save money.")
    hidden = build_document("Staff keep ownership.", state="draft").versions.get()
    build_position(actor=council, question="ownership", summary="Hidden answer", version=hidden)
    page = client.get("/positions/").content.decode()
    assert "Does it claim to save money?" in page
    assert "Yes: it will save money." in page
    assert "Hidden answer" not in page  # quoted from an unpublished document
    assert "No position found in the library." in page
    assert ">savings<" not in page  # labels, not codes


def test_one_question_shows_each_quote_its_dated_version_source_and_right_of_reply(client):
    document = build_document("This will not only save money.", title="The pledge")
    version = document.versions.get()
    council = build_actor(name="Council pledge", order=1)
    build_actor(name="Government programme", order=2)
    build_position(
        actor=council,
        question="savings",
        summary="Yes.",
        quote="save money",
        version=version,
        reply_requested_on=datetime.date(2024, 5, 1),
    )
    for url in ["/positions/savings/", "/positions/?question=savings"]:
        page = client.get(url).content.decode()
        assert "<h1>Does it claim to save money?</h1>" in page
        assert "“save money”" in page
        assert f"/guidance/{document.pk}/versions/1/" in page
        assert "1\xa0January\xa02015" in page
        assert f"/sources/{version.source.uid}/" in page
        assert "offered on 1\xa0May\xa02024; no reply yet." in page
        assert "Government programme" in page
        assert "No position found in the library." in page
    assert client.get("/positions/nonsense/").status_code == 404
