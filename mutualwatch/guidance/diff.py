"""A readable difference between two versions of a document's text: pure functions.

The texts are compared word by word (``difflib``), keeping the whitespace between words, and
rendered as HTML with ``<del>`` for words removed and ``<ins>`` for words added; every piece of
text is escaped.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class VersionDiff:
    html: SafeString
    added: int
    removed: int

    @property
    def summary(self) -> str:
        """ "12 words added, 3 removed"; "no change in the words" when there is none."""
        if not self.added and not self.removed:
            return "No change in the words."
        added = f"{self.added} word{'s' if self.added != 1 else ''} added"
        removed = f"{self.removed} removed"
        return f"{added}, {removed}."


def tokens(text: str) -> list[str]:
    """The text as words and the whitespace between them, in order: joined, the text again."""
    return TOKEN.findall(text)


def _words(pieces: list[str]) -> int:
    return sum(1 for piece in pieces if not piece.isspace())


def diff_texts(old: str, new: str) -> VersionDiff:
    """The words of ``new`` compared with those of ``old``."""
    before, after = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts: list[str] = []
    added = removed = 0
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(before[a_start:a_end])))
            continue
        gone, came = before[a_start:a_end], after[b_start:b_end]
        if _words(gone):
            removed += _words(gone)
            parts.append(f"<del>{escape(''.join(gone))}</del>")
        elif gone:
            parts.append(escape("".join(gone)))
        if _words(came):
            added += _words(came)
            parts.append(f"<ins>{escape(''.join(came))}</ins>")
        elif came:
            parts.append(escape("".join(came)))
    return VersionDiff(mark_safe("".join(parts)), added, removed)  # noqa: S308 (escaped above)


def normalised(text: str) -> str:
    """The text with every run of whitespace one space, and none at either end: how a quote
    is compared with the text it comes from."""
    return " ".join(text.split())


def quoted_in(quote: str, text: str) -> bool:
    """Whether the quote occurs word for word in the text, whitespace aside."""
    wanted = normalised(quote)
    return bool(wanted) and wanted in normalised(text)
