"""Reads about councils: who replaced whom, what a successor inherited, which buyer names
await a researcher and what they might be.

An abolished council keeps its arrangements and their histories: nothing is moved to the
successor. What a successor inherited is computed here, by walking the successions back.
"""

import difflib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from mutualwatch.compiled_queries import CompiledQuery
from mutualwatch.councils.importers import normalise_authority_name
from mutualwatch.councils.models import AuthorityName, Succession, UnresolvedBuyer
from mutualwatch.councils.resolution import authorities_named
from mutualwatch.register import queries as register_queries
from mutualwatch.register.models import Arrangement, Authority


def successors(authority: Authority) -> list[Authority]:
    """The authorities that took over when this one was abolished (usually one)."""
    ids = set(
        Succession.objects.filter(predecessor=authority).values_list("successor_id", flat=True)
    )
    if authority.replaced_by_id is not None:
        ids.add(authority.replaced_by_id)
    return list(Authority.objects.filter(pk__in=ids).order_by("name"))


def predecessors(authority: Authority) -> list[Authority]:
    """The abolished authorities this one directly replaced."""
    ids = set(
        Succession.objects.filter(successor=authority).values_list("predecessor_id", flat=True)
    )
    ids |= set(Authority.objects.filter(replaced_by=authority).values_list("pk", flat=True))
    return list(Authority.objects.filter(pk__in=ids).order_by("name"))


def all_predecessors(authority: Authority) -> list[Authority]:
    """Every authority this one took over from, directly or through earlier reorganisations."""
    seen: dict[int, Authority] = {}
    frontier = [authority]
    while frontier:
        found = [p for a in frontier for p in predecessors(a) if p.pk not in seen]
        for predecessor in found:
            seen[predecessor.pk] = predecessor
        frontier = [p for p in found if p.pk != authority.pk]
    seen.pop(authority.pk, None)
    return sorted(seen.values(), key=lambda a: a.name)


def current_successors(authority: Authority) -> list[Authority]:
    """Where an abolished authority's services went in the end, following later
    reorganisations; an authority still in existence is its own current successor.
    """
    result: dict[int, Authority] = {}
    seen = {authority.pk}
    frontier = [authority]
    while frontier:
        next_frontier = []
        for current in frontier:
            following = successors(current)
            if not following:
                result[current.pk] = current
            for successor in following:
                if successor.pk not in seen:
                    seen.add(successor.pk)
                    next_frontier.append(successor)
        frontier = next_frontier
    return sorted(result.values(), key=lambda a: a.name)


def inherited_arrangements(authority: Authority, user: Any = None) -> QuerySet[Arrangement]:
    """The arrangements of every authority this one replaced, transitively: what it
    inherited. They stay attached to the abolished authority. With ``user``, only those the
    user may see (the public pages pass the visitor).
    """
    ids = [a.pk for a in all_predecessors(authority)]
    return _arrangements_seen_by(user).filter(authority_id__in=ids)


def _arrangements_seen_by(user: Any) -> QuerySet[Arrangement]:
    if user is None:
        return Arrangement.objects.select_related("authority", "service_area", "provider")
    return register_queries.visible_arrangements(user)


@dataclass(frozen=True)
class Reorganisation:
    """What the public authority page shows of a council's place in reorganisations."""

    predecessors: list[Authority]
    successors: list[Authority]
    inherited: list[Arrangement]


def _all_succession_links() -> QuerySet[Any]:
    recorded = Succession.objects.order_by().values_list("predecessor_id", "successor_id")
    replaced = (
        Authority.objects.filter(replaced_by__isnull=False)
        .order_by()
        .values_list("pk", "replaced_by_id")
    )
    return recorded.union(replaced).order_by()


# Compiled once: every council page reads them, and compiling the union took longer than
# running it.
_succession_links = CompiledQuery(_all_succession_links)


def succession_links() -> set[tuple[int, int]]:
    """Every (predecessor id, successor id) the register records, as successions or as an
    authority's ``replaced_by``: a few hundred pairs at most, read in one query."""
    return set(_succession_links())


def earlier_ids(authority_id: int, links: set[tuple[int, int]]) -> set[int]:
    """The ids of every authority ``authority_id`` took over from, directly or through
    earlier reorganisations (``all_predecessors`` over links already read)."""
    seen: set[int] = set()
    frontier = {authority_id}
    while frontier:
        found = {p for p, s in links if s in frontier and p not in seen and p != authority_id}
        seen |= found
        frontier = found
    return seen


def reorganisation_of(authority: Authority, user: Any = None) -> Reorganisation:
    """Predecessors, successors and inherited arrangements, for the authority page: the
    successions read once, and a council no reorganisation touched costs that one query."""
    links = succession_links()
    before = {p for p, s in links if s == authority.pk}
    after = {s for p, s in links if p == authority.pk}
    neighbours = (
        list(Authority.objects.filter(pk__in=before | after).order_by("name"))
        if before or after
        else []
    )
    earlier = earlier_ids(authority.pk, links)
    return Reorganisation(
        predecessors=[a for a in neighbours if a.pk in before],
        successors=[a for a in neighbours if a.pk in after],
        inherited=list(_arrangements_seen_by(user).filter(authority_id__in=earlier))
        if earlier
        else [],
    )


# An arrangement recorded as ending up to this long before its council's abolition (a
# month-precision end is stored as the 1st) or the day after it ended with the council.
ABOLITION_WINDOW_BEFORE = timedelta(days=31)
ABOLITION_WINDOW_AFTER = timedelta(days=1)


def ended_by_abolition(
    arrangement_end: date | None, authority_end: date | None, has_successor: bool
) -> bool:
    """Whether an arrangement's end is only its council's abolition.

    Fates rule: an abolition is not the end of a service. When a council is abolished and
    replaced, its services carry on under the successor, so an arrangement "ending" on the
    abolition date is censored (still running), not ended. An abolition with no successor
    recorded cannot be followed, so the end stands.
    """
    if arrangement_end is None or authority_end is None or not has_successor:
        return False
    return (
        authority_end - ABOLITION_WINDOW_BEFORE
        <= arrangement_end
        <= authority_end + ABOLITION_WINDOW_AFTER
    )


def counts_as_end_of_service(arrangement: Arrangement) -> bool:
    """Whether the fates analysis should count this arrangement as having ended."""
    authority = arrangement.authority
    return end_of_service_rule()(
        arrangement.end_date, authority.pk, authority.end_date, authority.replaced_by_id
    )


def end_of_service_rule() -> Callable[[date | None, int, date | None, int | None], bool]:
    """``counts_as_end_of_service`` for many arrangements read as plain values (the end date,
    and the council's id, end date and ``replaced_by`` id), reading who succeeded whom once,
    and only if an arrangement has ended."""
    succeeded: set[int] | None = None

    def counts(
        end: date | None, authority_id: int, authority_end: date | None, replaced_by: int | None
    ) -> bool:
        nonlocal succeeded
        if end is None:
            return False
        if succeeded is None:
            succeeded = set(Succession.objects.values_list("predecessor_id", flat=True))
        has_successor = replaced_by is not None or authority_id in succeeded
        return not ended_by_abolition(end, authority_end, has_successor)

    return counts


@dataclass(frozen=True)
class UnresolvedRow:
    buyer: UnresolvedBuyer
    candidates: list[Authority]


def closest_candidates(name: str, limit: int = 5) -> list[Authority]:
    """The authorities whose known spellings are nearest the name, nearest first: those
    sharing its normalised key (a county and its successor) before near spellings.
    """
    key = normalise_authority_name(name)
    result: list[Authority] = []
    for authority in authorities_named(AuthorityName.objects.filter(normalised=key)):
        if authority not in result:
            result.append(authority)
    keys = list(AuthorityName.objects.values_list("normalised", flat=True).distinct())
    words = key.split()
    # A buyer such as "Hillingdon on behalf of an academy trust" is near its council's key
    # even though difflib scores the whole string low; a key that is a whole-word prefix
    # of the name counts as a candidate too.
    prefixed = [k for k in keys if k.split() == words[: len(k.split())]]
    for near in sorted(prefixed, key=len, reverse=True) + difflib.get_close_matches(
        key, keys, n=limit, cutoff=0.75
    ):
        for authority in authorities_named(AuthorityName.objects.filter(normalised=near)):
            if authority not in result:
                result.append(authority)
    return result[:limit]


def unresolved_buyers(limit: int | None = None) -> list[UnresolvedRow]:
    """Buyer names awaiting a researcher, most often seen first, each with candidates."""
    buyers = UnresolvedBuyer.objects.all()
    if limit is not None:
        buyers = buyers[:limit]
    return [UnresolvedRow(b, closest_candidates(b.name)) for b in buyers]


def known_names(authorities: Collection[Authority]) -> dict[int, set[str]]:
    """Every name each of these authorities is known by, by id: its official names, current
    and former, and the names lookup's spellings (linked to it, or waiting for it by registry
    code), as first written."""
    codes = {a.registry_code: a.pk for a in authorities if a.registry_code}
    spellings = AuthorityName.objects.filter(
        Q(authority__in=[a.pk for a in authorities])
        | Q(authority__isnull=True, registry_code__in=codes)
    )
    names: dict[int, set[str]] = defaultdict(set)
    for authority_id, code, name in spellings.values_list("authority_id", "registry_code", "name"):
        names[authority_id if authority_id is not None else codes[code]].add(name)
    return names


def authority_ids_named(spellings: Iterable[AuthorityName]) -> set[int]:
    """The ids of the authorities these spellings name, by link or by registry code (a
    spelling may be loaded before its authority)."""
    ids: set[int] = set()
    codes: set[str] = set()
    for spelling in spellings:
        if spelling.authority_id is not None:
            ids.add(spelling.authority_id)
        elif spelling.registry_code:
            codes.add(spelling.registry_code)
    if codes:
        ids |= set(Authority.objects.filter(registry_code__in=codes).values_list("pk", flat=True))
    return ids
