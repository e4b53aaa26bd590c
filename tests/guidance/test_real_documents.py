"""The two real texts in the shared data's documents folder, loaded as the library loads any
document: a branch officer's 2010 blog post quoting a co-operative council pledge, and the
union's 2013 local government conference motion on co-operative councils."""

import datetime

import pytest

from mutualwatch.guidance import services
from mutualwatch.guidance.diff import diff_texts
from mutualwatch.guidance.exceptions import QuoteNotFound
from mutualwatch.guidance.models import Actor
from mutualwatch.publishing.models import SearchKind
from mutualwatch.publishing.search import search
from mutualwatch.register.services import move_through_review
from tests.shared_data import DOCUMENTS, require

pytestmark = pytest.mark.django_db
BLOG = DOCUMENTS / "2010-06-04-mutual-benefit-branch-blog.txt"
MOTION = DOCUMENTS / "2013-02-19-cooperative-councils-mutualisation-or-marketisation-motion.txt"
PLEDGE_TITLE = "Co-operative council pledge (as quoted in a branch officer's blog, 4 June 2010)"
MOTION_TITLE = (
    "Cooperative Councils \N{EN DASH} Mutualisation or Marketisation (2013 conference motion)"
)


def _load_both():
    pledge = services.load_document(
        require(BLOG),
        title=PLEDGE_TITLE,
        kind="pledge",
        dated=datetime.date(2010, 6, 4),
        source_url="https://example.org/branch-blog/2010/06/mutual-benefit",
        source_title="Mutual Benefit? (a branch officer's blog, 4 June 2010)",
        author="115 local Labour Groups, as quoted by a branch officer",
        topics=["Co-operative councils"],
    )
    motion = services.load_document(
        require(MOTION),
        title=MOTION_TITLE,
        kind="motion",
        dated=datetime.date(2013, 2, 19),
        source_url="https://example.org/motions/cooperative-councils-2013",
        source_kind="policy-document",
        author="2013 Local Government Service Group Conference",
        topics=["Co-operative councils", "Insourcing"],
    )
    return pledge, motion


def _publish(researcher, checker, document):
    for version in document.versions.all():
        source = version.source
        if source.state != "published":
            move_through_review(researcher, source, "submit")
            move_through_review(checker, source, "verify")
            move_through_review(researcher, source, "publish")
    services.move_document_through_review(researcher, document, "submit")
    services.move_document_through_review(checker, document, "verify")
    services.move_document_through_review(researcher, document, "publish")


def test_both_real_documents_load_once_and_the_motion_is_a_motion():
    pledge, motion = _load_both()
    assert pledge.created
    assert motion.created
    assert motion.document.get_kind_display() == "Motion"
    assert "This will not only save money" in pledge.version.text
    assert "takeover by private sector competitors" in motion.version.text
    again = _load_both()
    assert [loaded.version for loaded in again] == [None, None]


def test_positions_quote_the_real_texts_and_a_misquote_is_refused(person):
    researcher = person("national researcher")
    pledge, motion = _load_both()
    council = Actor.objects.create(code="pledge", name="Co-operative council pledge", order=1)
    union = Actor.objects.create(code="union", name="The union's conference motions", order=2)
    saves = services.add_position(
        researcher,
        actor=council,
        question="savings",
        summary="Yes: it says running services this way will save money.",
        quote="This will not only save money",
        version=pledge.version,
    )
    takeover = services.add_position(
        researcher,
        actor=union,
        question="takeover",
        summary="Nothing: mutualisation leaves services open to takeover.",
        # the file breaks no line here, but a quote copied across lines is still word for word
        quote="leaves mutuals and services vulnerable to competition\nand takeover by private "
        "sector competitors",
        version=motion.version,
    )
    assert saves.pk
    assert takeover.pk
    with pytest.raises(QuoteNotFound, match="does not occur word for word"):
        services.add_position(
            researcher,
            actor=union,
            question="savings",
            summary="Misquoted.",
            quote="mutuals always save money for the taxpayer",
            version=motion.version,
        )
    with pytest.raises(QuoteNotFound):
        # a quote from the other document is not in this version
        services.add_position(
            researcher,
            actor=council,
            question="takeover",
            summary="Wrong version.",
            quote="takeover by private sector competitors",
            version=pledge.version,
        )


def test_a_new_version_of_the_motion_and_its_diff(tmp_path):
    _pledge, motion = _load_both()
    amended = tmp_path / "motion-amended.txt"
    text = require(MOTION).read_text(encoding="utf-8")
    amended.write_text(
        text.replace("Continue to support branches", "Continue to fund and support branches"),
        encoding="utf-8",
    )
    second = services.load_document(
        amended,
        title=MOTION_TITLE,
        kind="motion",
        dated=datetime.date(2013, 2, 20),
        source_url="https://example.org/motions/cooperative-councils-2013",
    )
    assert second.version.number == 2
    diff = diff_texts(motion.version.text, second.version.text)
    assert diff.summary == "2 words added, 0 removed."
    assert "<ins>fund and </ins>" in diff.html


def test_search_finds_the_published_real_documents_by_a_word_in_their_text(person):
    researcher, checker = person("national researcher"), person("national researcher")
    pledge, motion = _load_both()
    assert not search("marketisation", SearchKind.GUIDANCE)
    _publish(researcher, checker, pledge.document)
    _publish(researcher, checker, motion.document)
    found = [r.title for g in search("marketisation", SearchKind.GUIDANCE) for r in g.results]
    assert found == [MOTION_TITLE]
    found = [r.title for g in search("stronger communities") for r in g.results]
    assert found == [PLEDGE_TITLE]
