"""Answers in words: each term by its label, each choice by its label, figures with their units,
as officers read a record and a member reads the copy of their answers."""

from typing import Any

from django.db import models

from mutualwatch.workforce.instrument import TERMS, YES_NO

UNITS = {
    "money": "£{}",
    "percent": "{}%",
    "hours": "{} hours",
    "days": "{} days",
}


def answer_in_words(field: str, value: Any) -> str:
    kind = TERMS[field][1]
    if kind == "yes-no":
        return YES_NO[bool(value)]
    if isinstance(kind, type) and issubclass(kind, models.TextChoices):
        return str(kind(value).label)
    if kind == "count":
        return f"{int(value):,}"
    text = str(value)
    if kind in {"percent", "hours"} and "." in text:
        text = text.rstrip("0").rstrip(".")  # 30 hours, 37.5 hours: never "30.0 hours"
    return UNITS.get(kind, "{}").format(text)


def answers_in_words(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, answer) for each term answered, in the instrument's order; unanswered terms are
    left out (a blank is "not known", not "none")."""
    return [
        (TERMS[field][0], answer_in_words(field, answers[field]))
        for field in TERMS
        if field in answers
    ]
