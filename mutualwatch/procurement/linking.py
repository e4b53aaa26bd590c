"""Linking a procurement buyer to a register Authority.

The rules are the councils app's (``councils.resolution``), in its order; this only puts a
buyer's identifiers in the form they take there and records names no rule places
(``councils.services.resolve_buyer``), once per distinct buyer in an ingest.
"""

import datetime

from mutualwatch.councils.resolution import Resolution
from mutualwatch.councils.services import resolve_buyer


def buyer_resolution(name: str, identifiers: list[tuple[str, str]]) -> Resolution:
    """What a buyer's name and identifiers (scheme, id) say; ask it ``.on(notice date)``."""
    identifier = " ".join(f"{scheme}-{value}" for scheme, value in identifiers) or None
    return resolve_buyer(name, identifier)


def notice_date(timestamp: str | None) -> datetime.date | None:
    """The day of an OCDS date-time ("2019-04-01T00:00:00Z"), which decides between a council
    and the one that replaced it; None where it is not a date."""
    try:
        return datetime.date.fromisoformat((timestamp or "")[:10])
    except ValueError:
        return None
