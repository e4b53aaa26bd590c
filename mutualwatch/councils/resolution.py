"""Recognising a council from how procurement data names it.

`resolution_of` and `resolve_authority` only read; `services.resolve_buyer` (what the OCDS
ingest calls, once per distinct buyer) also keeps a researcher's to-do list of the names it
could not place. Every authority's official name is among the spellings, however the
authority was recorded (``services.record_official_name``).

The rules, first that applies wins:

1. a researcher's remembered choice for the name's normalised key (which may say "not a
   council");
2. an identifier holding a GSS code of an authority;
3. an exact spelling (ignoring case, punctuation, HTML escapes and "&" for "and") of an
   authority's official name or of a spelling in the names lookup;
4. the normalised key (style words such as "Council", "London Borough of" dropped), when it
   names one authority, or, given a date, one authority in existence on that date.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from mutualwatch.councils.importers import normalise_authority_name, spelling_key
from mutualwatch.councils.models import AuthorityName, BuyerChoice
from mutualwatch.register.models import Authority

GSS_IN_IDENTIFIER = re.compile(r"(?<![A-Z0-9])([A-Z][0-9]{8})(?![0-9])")


@dataclass(frozen=True)
class Resolution:
    """What a buyer's name and identifier say, before its notice's date is known: nothing
    (``authorities`` empty), one authority, or the authorities sharing its name, of which the
    one in existence on the notice's date is meant. Worked out once per distinct buyer, then
    asked ``on`` each notice's date (the OCDS ingest does so)."""

    authorities: tuple[Authority, ...] = ()
    #: a researcher's choice settled it (``authorities`` empty: "not a council")
    chosen: bool = False

    def on(self, day: date | None) -> Authority | None:
        if len(self.authorities) == 1:
            return self.authorities[0]
        if day is not None and self.authorities:
            existing = [a for a in self.authorities if in_existence(a, day)]
            if len(existing) == 1:
                return existing[0]
        return None


def resolve_authority(
    name: str, identifier: str | None = None, *, on: date | None = None
) -> Authority | None:
    """The Authority a buyer name (and optional identifier) refers to, or None if unknown.

    ``on`` (the notice's date, if known) settles a name shared by a council and the council
    that replaced it, e.g. "Dorset" before and after 2019.
    """
    return resolution_of(name, identifier).on(on)


def resolution_of(name: str, identifier: str | None = None) -> Resolution:
    """What the rules (this module's docstring) make of a buyer's name and identifier, which
    may hold several identifiers: the first GSS code in it counts."""
    key = normalise_authority_name(name)
    if key:
        choice = BuyerChoice.objects.filter(normalised=key).select_related("authority").first()
        if choice is not None:
            chosen = (choice.authority,) if choice.authority is not None else ()
            return Resolution(chosen, chosen=True)
    if identifier:
        match = GSS_IN_IDENTIFIER.search(identifier.strip().upper())
        if match is not None:
            found = Authority.objects.filter(gss_code=match.group(1)).first()
            if found is not None:
                return Resolution((found,))
    if not key:
        return Resolution()
    exact = authorities_named(AuthorityName.objects.filter(spelling=spelling_key(name)))
    if len(exact) == 1:
        return Resolution((exact[0],))
    return Resolution(tuple(authorities_named(AuthorityName.objects.filter(normalised=key))))


def authorities_named(names: QuerySet[AuthorityName]) -> list[Authority]:
    """The distinct authorities a set of spellings point to, by link or by registry code."""
    rows = list(names.values_list("authority_id", "registry_code"))
    ids = {authority_id for authority_id, _ in rows if authority_id is not None}
    codes = {code for authority_id, code in rows if authority_id is None and code}
    if not ids and not codes:
        return []
    return list(Authority.objects.filter(Q(pk__in=ids) | Q(registry_code__in=codes)).distinct())


def in_existence(authority: Authority, on: date) -> bool:
    starts = authority.start_date is None or authority.start_date <= on
    return starts and (authority.end_date is None or on <= authority.end_date)
