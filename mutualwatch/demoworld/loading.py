"""Loading a generated demo world into the demo's database, saying in one plain line per step
what it now holds. Each step is rerunnable: a world loaded before changes nothing."""

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from mutualwatch.analysis.queries import latest_fates
from mutualwatch.analysis.services import refresh_fates
from mutualwatch.demoworld.accounts import council_branch
from mutualwatch.demoworld.campaigns import load_campaigns
from mutualwatch.demoworld.companies import COMPANIES_HOUSE_FILE
from mutualwatch.demoworld.cooperatives import COOPERATIVES_FILE
from mutualwatch.demoworld.exceptions import DemoWorldError
from mutualwatch.demoworld.foi import load_foi_requests
from mutualwatch.demoworld.guidance import load_guidance
from mutualwatch.demoworld.network import load_network
from mutualwatch.demoworld.ownership import BODS_FOLDER
from mutualwatch.demoworld.parameters import CENSUS_DATE
from mutualwatch.demoworld.workforce import RECORDS_FILE as WORKFORCE_RECORDS_FILE
from mutualwatch.matching.models import Decision
from mutualwatch.matching.services import link_suppliers
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.publishing.search import rebuild_search_index
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.importing import import_register
from mutualwatch.register.models import Arrangement
from mutualwatch.registers.companies import ingest_companies
from mutualwatch.registers.exceptions import RegisterError
from mutualwatch.registers.ownership import ingest_ownership
from mutualwatch.registers.societies import ingest_societies
from mutualwatch.workforce import access, crypto
from mutualwatch.workforce.exceptions import PublicationRefused, TermsRefused
from mutualwatch.workforce.instrument import check_terms
from mutualwatch.workforce.models import AccessAction, Origin, Publication, TermsRecord
from mutualwatch.workforce.publishing import publish, summary_line
from mutualwatch.workforce.services import retention_end

Say = Callable[[str], None]


def load_world(world: Path, say: Say) -> None:
    """The register, its fates, the procurement notices, the search index, the company and
    society registers, and every supplier linked to them."""
    call_command("migrate", verbosity=0)
    try:
        summary = import_register(world / "register.json")
    except RegisterFileError as error:
        raise DemoWorldError(f"The demo world's register did not load: {error}") from None
    say(f"Register: {summary.changed:,} records loaded or updated.")
    if summary.changed or latest_fates() is None:
        # No task worker runs beside the demo server, so analyse the fates here.
        refresh_fates()
        say("Fates of spun-out and outsourced services: analysed.")
    load_workforce(world, say)
    say(load_campaigns())
    load_foi_requests(say)
    load_network(say)
    load_guidance(say)
    standard = Path(settings.OCDS_STANDARD_DIR)
    if not (standard / "release-schema.json").is_file():
        say(
            f"Procurement notices: not loaded, the OCDS standard is not in {standard} (set "
            "MUTUALWATCH_OCDS_STANDARD, or leave it unset for the copy mutualwatch ships)."
        )
        return
    ingest = ingest_paths([world / "ocds"])
    say(f"Procurement notices: {ingest.new:,} releases loaded.")
    say(f"Search index: {rebuild_search_index():,} documents.")
    try:
        _registers(world, say)
    except RegisterError as error:
        raise DemoWorldError(f"The demo world's registers did not load: {error}") from None
    with quiet_model_training():
        linked = link_suppliers()
    decisions = dict(Decision.choices)
    counts = ", ".join(
        f"{decisions.get(decision, decision).lower()}: {count:,}"
        for decision, count in linked.decisions.items()
        if count
    )
    # The decisions count the register's providers too: both are named, so the counts add up.
    say(
        f"Linked to the company and society registers: {linked.suppliers:,} suppliers and "
        f"{linked.providers:,} register providers ({counts})."
    )


def _registers(world: Path, say: Say) -> None:
    companies = ingest_companies([world / COMPANIES_HOUSE_FILE], CENSUS_DATE)
    societies = ingest_societies(world / COOPERATIVES_FILE, CENSUS_DATE)
    controls = sum(
        ingest_ownership(path, CENSUS_DATE).controls
        for path in sorted((world / BODS_FOLDER).glob("*.json"))
    )
    say(
        f"Company registers: {companies.rows_kept:,} companies, {societies.rows_kept:,} "
        f"co-operative societies and {controls:,} controlling interests loaded."
    )


@contextmanager
def quiet_model_training() -> Iterator[None]:
    """The linker's model warns of comparison levels a small world's data never shows: notes
    for whoever tunes it (`mutualwatch link-suppliers` shows them), not for a first run of the
    demo. Its errors still show. (The linker sets its log's level itself, so its messages are
    held back where they would go out, not by that level.)"""
    model_log = logging.getLogger("splink")
    errors_only = logging.StreamHandler()
    errors_only.setLevel(logging.ERROR)
    propagate = model_log.propagate
    model_log.addHandler(errors_only)
    model_log.propagate = False
    try:
        yield
    finally:
        model_log.removeHandler(errors_only)
        model_log.propagate = propagate


def load_workforce(world: Path, say: Say) -> None:
    """The world's workforce records, sealed, each held by a fictional branch following the
    arrangement's council; then the first publication of the protected tables, if there is
    none yet. An arrangement that already has demo records is left as it is."""
    path = world / WORKFORCE_RECORDS_FILE
    if not path.is_file():
        say(
            "Workforce records: none in this world (it was generated before they were "
            "added); generate it again to see them."
        )
        return
    loaded = _load_workforce_records(path)
    say(f"Workforce records: {loaded:,} fictional members' and officers' records loaded.")
    if not Publication.objects.exists():
        try:
            say(summary_line(publish()))
        except PublicationRefused as error:
            say(f"Workforce tables: not published. {error}")


@transaction.atomic
def _load_workforce_records(path: Path) -> int:
    by_arrangement: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            item = orjson.loads(line)
            by_arrangement.setdefault(item["arrangement"], []).append((number, item))
    arrangements = {
        str(arrangement.uid): arrangement
        for arrangement in Arrangement.objects.filter(uid__in=list(by_arrangement)).select_related(
            "authority"
        )
    }
    missing = sorted(set(by_arrangement) - set(arrangements))
    if missing:
        raise DemoWorldError(
            f"{path}: the workforce records name {len(missing):,} arrangements the register "
            f"does not hold (first: {missing[0]}); load the same world's register.json first."
        )
    already = set(
        TermsRecord.objects.filter(origin=Origin.DEMO).values_list("arrangement_id", flat=True)
    )
    keep_until = retention_end()
    loaded: dict[int, int] = {}
    new: list[TermsRecord] = []
    branches: dict[int, int] = {}
    for uid, items in by_arrangement.items():
        arrangement = arrangements[uid]
        if arrangement.pk in already:
            continue
        if arrangement.authority_id not in branches:
            branches[arrangement.authority_id] = council_branch(arrangement.authority).pk
        branch_id = branches[arrangement.authority_id]
        for number, item in items:
            new.append(_record(path, number, item, arrangement, branch_id, keep_until))
        loaded[branch_id] = loaded.get(branch_id, 0) + len(items)
    TermsRecord.objects.bulk_create(new, batch_size=1000)
    for branch_id, count in sorted(loaded.items()):
        access.log(
            None, AccessAction.ADD, branch=branch_id, count=count, reason="Fictional demo data"
        )
    return len(new)


def _record(
    path: Path,
    number: int,
    item: dict[str, Any],
    arrangement: Arrangement,
    branch_id: int,
    keep_until: datetime.date,
) -> TermsRecord:
    observed_on = datetime.date.fromisoformat(item["observed_on"]) if item["observed_on"] else None
    try:
        answers = check_terms(
            item["answers"],
            time_point=item["time_point"],
            observed_on=observed_on,
            arrangement_start=arrangement.start_date,
        )
    except TermsRefused as error:
        raise DemoWorldError(f"{path}, line {number}: {error}") from None
    return TermsRecord(
        branch_id=branch_id,
        arrangement=arrangement,
        time_point=item["time_point"],
        observed_on=observed_on,
        origin=Origin.DEMO,
        sealed_answers=crypto.seal(answers),
        delete_after=keep_until,
    )
