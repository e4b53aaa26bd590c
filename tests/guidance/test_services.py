"""The library's actions: documents with versions never edited, review, tags, positions whose
quotes must be in the version cited, and the loader."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutualwatch.guidance import services
from mutualwatch.guidance.exceptions import DocumentFileError, QuoteNotFound, VersionUnchanged
from mutualwatch.guidance.models import Document, DocumentVersion, Topic
from mutualwatch.register.exceptions import NotAllowed, ReviewRuleBroken
from mutualwatch.register.models import ServiceArea
from tests.conftest import build_source
from tests.guidance.builders import build_actor, build_document

pytestmark = pytest.mark.django_db
DAY = datetime.date(2016, 3, 1)


@pytest.fixture
def researcher(person):
    return person("national researcher")


def _add(user, **fields):
    values = {
        "title": "Keeping leisure in-house",
        "kind": "guidance",
        "text": "Ask for the contract's performance reports.",
        "dated": DAY,
        "source": build_source(),
    }
    return services.add_document(user, **(values | fields))


def test_a_document_is_added_as_a_draft_with_its_first_version(researcher):
    document = _add(researcher, author="The union")
    assert document.state == "draft"
    assert document.created_by == researcher
    [version] = document.versions.all()
    assert (version.number, version.dated, version.created_by) == (1, DAY, researcher)
    assert document.history.first().history_user == researcher


def test_a_new_version_is_numbered_after_the_last_and_the_old_one_is_kept(researcher):
    document = _add(researcher)
    first = document.versions.get()
    second = services.add_version(
        researcher,
        document,
        text="Ask for the reports and the costs.",
        dated=DAY,
        source=build_source(),
        change_note="Costs added.",
    )
    assert second.number == 2
    first.refresh_from_db()
    assert first.text == "Ask for the contract's performance reports."
    with pytest.raises(VersionUnchanged, match="version 2"):
        services.add_version(
            researcher,
            document,
            text="Ask for the reports and the costs.\n",
            dated=DAY,
            source=build_source(),
        )
    assert DocumentVersion.objects.filter(document=document).count() == 2


def test_a_published_documents_new_version_must_cite_a_published_source(researcher):
    document = build_document()
    with pytest.raises(ReviewRuleBroken, match="must cite a published source"):
        services.add_version(
            researcher, document, text="Changed.", dated=DAY, source=build_source(state="draft")
        )


def test_review_goes_draft_submitted_verified_published_and_nobody_verifies_their_own(
    person, researcher
):
    document = _add(researcher)
    services.move_document_through_review(researcher, document, "submit")
    with pytest.raises(NotAllowed, match="verify"):
        services.move_document_through_review(researcher, document, "verify")
    other = person("national researcher")
    with pytest.raises(ReviewRuleBroken, match="submitted guidance document cannot be published"):
        services.move_document_through_review(other, document, "publish")
    services.move_document_through_review(other, document, "verify")
    services.move_document_through_review(researcher, document, "publish")
    assert Document.objects.get(pk=document.pk).state == "published"
    assert [h.history_change_reason for h in document.history.order_by("history_date")] == [
        "added",
        "submit",
        "verify",
        "publish",
    ]


def test_a_document_is_published_only_with_every_versions_source_published(person, researcher):
    document = _add(researcher, source=build_source(state="submitted", title="Draft minutes"))
    services.move_document_through_review(researcher, document, "submit")
    services.move_document_through_review(person("administrator"), document, "verify")
    with pytest.raises(ReviewRuleBroken, match="Publish these first: source “Draft minutes”"):
        services.move_document_through_review(researcher, document, "publish")


def test_tagging_sets_topics_stages_and_services(researcher):
    document = _add(researcher)
    tupe = Topic.objects.create(code="tupe", name="TUPE")
    leisure = ServiceArea.objects.get(code="leisure")
    services.tag(
        researcher,
        document,
        topics=[tupe],
        stages=["transfer", "consultation"],
        service_areas=[leisure],
    )
    document.refresh_from_db()
    assert document.stages == ["consultation", "transfer"]
    assert document.stage_labels == ["Consultation", "Transfer"]
    assert list(document.topics.all()) == [tupe]
    assert list(document.service_areas.all()) == [leisure]


def test_a_position_quotes_its_version_word_for_word(researcher):
    version = build_document("We will save money,\nand build\tcommunities.").versions.get()
    actor = build_actor(name="A council")
    position = services.add_position(
        researcher,
        actor=actor,
        question="savings",
        summary="Yes.",
        quote="save money, and build communities.",
        version=version,
    )
    assert position.pk
    with pytest.raises(QuoteNotFound, match="does not occur word for word in"):
        services.add_position(
            researcher,
            actor=build_actor(),
            question="savings",
            summary="Yes.",
            quote="save lots of money",
            version=version,
        )
    with pytest.raises(QuoteNotFound):
        services.edit_position(researcher, position, quote="save money and build communities")
    position.refresh_from_db()
    assert position.quote == "save money, and build communities."


def test_the_right_of_reply_is_recorded(researcher):
    version = build_document("Staff keep ownership.").versions.get()
    position = services.add_position(
        researcher,
        actor=build_actor(),
        question="ownership",
        summary="Yes.",
        quote="Staff keep ownership.",
        version=version,
    )
    services.record_reply(
        researcher, position, requested_on=datetime.date(2024, 5, 1), reply="We stand by it."
    )
    position.refresh_from_db()
    assert position.reply_requested_on == datetime.date(2024, 5, 1)
    assert position.right_of_reply == "We stand by it."
    assert position.history.first().history_user == researcher


def test_loading_a_file_twice_adds_nothing_and_a_changed_file_is_a_new_version(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("First text.\n", encoding="utf-8")
    options = {
        "title": "A note",
        "kind": "briefing",
        "dated": DAY,
        "source_url": "https://example.org/note",
        "topics": ["Pensions"],
    }
    first = services.load_document(path, **options)
    assert first.created
    assert first.version.number == 1
    assert first.document.state == "draft"
    assert first.version.source.state == "draft"
    assert [t.name for t in first.document.topics.all()] == ["Pensions"]
    again = services.load_document(path, **options)
    assert (again.created, again.version) == (False, None)
    path.write_text("Second text.\n", encoding="utf-8")
    changed = services.load_document(path, **options)
    assert changed.version.number == 2
    assert changed.version.source == first.version.source
    assert DocumentVersion.objects.count() == 2


def test_the_command_loads_and_refuses_with_a_clear_message(tmp_path: Path, capsys):
    path = tmp_path / "motion.txt"
    path.write_text("Conference notes.", encoding="utf-8")
    arguments = [
        "load_document",
        str(path),
        "--title",
        "Motion",
        "--kind",
        "motion",
        "--dated",
        "2013-02-19",
        "--source-url",
        "https://example.org/motion",
    ]
    call_command(*arguments)
    call_command(*arguments)
    output = capsys.readouterr().out
    assert "“Motion”: new document, version 1." in output
    assert "the text is its latest version already" in output
    with pytest.raises(CommandError, match=r"Nothing was loaded\. .*absent\.txt: no such file"):
        call_command(*[*arguments[:1], str(tmp_path / "absent.txt"), *arguments[2:]])
    with pytest.raises(DocumentFileError, match="kind 'poem'"):
        services.load_document(
            path, title="x", kind="poem", dated=DAY, source_url="https://example.org/x"
        )
