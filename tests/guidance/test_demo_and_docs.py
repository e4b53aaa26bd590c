"""The demo world's fictional library, and docs/guidance.md kept true."""

import re
from pathlib import Path

import pytest

from mutualwatch.demoworld.guidance import ACTORS, load_guidance
from mutualwatch.guidance.diff import quoted_in
from mutualwatch.guidance.models import Actor, Document, Position, Question, Topic
from mutualwatch.guidance.queries import positions_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "guidance.md"


@pytest.mark.django_db
def test_the_demo_library_loads_once_with_positions_quoted_and_gaps_left():
    said: list[str] = []
    load_guidance(said.append)
    snapshot = (
        list(Document.objects.values_list("title", "state", "stages")),
        list(Position.objects.values_list("actor__code", "question", "quote", "version__number")),
    )
    load_guidance(said.append)
    assert snapshot == (
        list(Document.objects.values_list("title", "state", "stages")),
        list(Position.objects.values_list("actor__code", "question", "quote", "version__number")),
    )
    assert said[1].endswith("0 positions added.")
    assert Actor.objects.count() == len(ACTORS) == 5
    assert set(Topic.objects.values_list("name", flat=True)) >= {
        "TUPE",
        "Pensions",
        "Community right to challenge",
        "Asset locks",
        "Insourcing",
    }
    assert Document.objects.filter(versions__number=2).distinct().count() >= 2
    for position in Position.objects.select_related("version"):
        assert quoted_in(position.quote, position.version.text)
    _actors, rows = positions_table()
    cells = [cell for row in rows for cell in row.cells]
    assert any(cell.position is None for cell in cells), "the page shows a gap somewhere"
    assert sum(cell.position is not None for cell in cells) == Position.objects.count()
    assert all("fictional" in d.author for d in Document.objects.all())


def test_the_docs_list_exactly_the_fixed_questions():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("The questions are fixed:", 1)[1].split("\n\n", 2)[1]
    listed = re.findall(r"^- (.+)$", section, re.MULTILINE)
    assert listed == list(Question.labels)


def test_the_docs_name_the_command_and_the_pages():
    text = DOC.read_text(encoding="utf-8")
    for words in [
        "mutualwatch load-document FILE",
        "/guidance/matched/?stage=STAGE&service_area=SERVICE",
        "/positions/<question>/",
        "/guidance/<id>/diff/<a>/<b>/",
    ]:
        assert words in " ".join(text.split()), words
