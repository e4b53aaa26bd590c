"""Recognising a council from how procurement data names it.

`resolve_authority` is the one entry point the OCDS ingest calls. It only reads; to keep a
researcher's to-do list of names it could not place, call `services.resolve_buyer` instead.

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
from datetime import date

from django.db.models import Q, QuerySet

from mutualwatch.councils.importers import normalise_authority_name, spelling_key
from mutualwatch.councils.models import AuthorityName, BuyerChoice
from mutualwatch.register.models import Authority

GSS_IN_IDENTIFIER = re.compile(r"(?<![A-Z0-9])([A-Z][0-9]{8})(?![0-9])")


def resolve_authority(
    name: str, identifier: str | None = None, *, on: date | None = None
) -> Authority | None:
    """The Authority a buyer name (and optional identifier) refers to, or None if unknown.

    ``on`` (the notice's date, if known) settles a name shared by a council and the council
    that replaced it, e.g. "Dorset" before and after 2019.
    """
    key = normalise_authority_name(name)
    if key:
        choice = BuyerChoice.objects.filter(normalised=key).select_related("authority").first()
        if choice is not None:
            return choice.authority
    if identifier:
        match = GSS_IN_IDENTIFIER.search(identifier.strip().upper())
        if match is not None:
            found = Authority.objects.filter(gss_code=match.group(1)).first()
            if found is not None:
                return found
    if not key:
        return None
    exact = authorities_named(AuthorityName.objects.filter(spelling=spelling_key(name)))
    if len(exact) == 1:
        return exact[0]
    candidates = authorities_named(AuthorityName.objects.filter(normalised=key))
    if len(candidates) == 1:
        return candidates[0]
    if on is not None and candidates:
        existing = [a for a in candidates if in_existence(a, on)]
        if len(existing) == 1:
            return existing[0]
    return None


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
