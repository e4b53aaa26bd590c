"""docs/branch-packs.md lists the pack's chapters: every heading the pack prints."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_docs_name_every_chapter_of_the_pack():
    template = (REPO / "mutualwatch" / "packs" / "templates" / "packs" / "pack.html").read_text()
    chapters = [
        re.sub(r"{%.*?%}|{{.*?}}", "", h).strip() for h in re.findall(r"<h2>(.*?)</h2>", template)
    ]
    documented = re.findall(
        r"^- \*\*(.+?)\*\*", (REPO / "docs" / "branch-packs.md").read_text(), re.M
    )
    assert chapters
    assert chapters == documented
