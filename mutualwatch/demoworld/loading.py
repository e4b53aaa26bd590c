"""Loading a generated demo world into the demo's database, saying in one plain line per step
what it now holds. Each step is rerunnable: a world loaded before changes nothing."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from mutualwatch.analysis.queries import latest_fates
from mutualwatch.analysis.services import refresh_fates
from mutualwatch.demoworld.companies import COMPANIES_HOUSE_FILE
from mutualwatch.demoworld.cooperatives import COOPERATIVES_FILE
from mutualwatch.demoworld.exceptions import DemoWorldError
from mutualwatch.demoworld.ownership import BODS_FOLDER
from mutualwatch.demoworld.parameters import CENSUS_DATE
from mutualwatch.matching.models import Decision
from mutualwatch.matching.services import link_suppliers
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.publishing.search import rebuild_search_index
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.importing import import_register
from mutualwatch.registers.companies import ingest_companies
from mutualwatch.registers.exceptions import RegisterError
from mutualwatch.registers.ownership import ingest_ownership
from mutualwatch.registers.societies import ingest_societies

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
