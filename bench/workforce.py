"""Benchmark the workforce tables: protecting a publication (suppression) and the disclosure
audit over it, in seconds, beside one public page's p95 request time measured in the same run
on the same database.

The world's register and workforce records are generated (only those: no OCDS, no company
registers) and loaded, every earlier publication is set aside, then ``publish`` and
``run_audit`` are timed as the commands run them. The council page is then requested through
Django's test client, rendered each time (the page cache off), and its p95 taken. Target: the
audit within 100 times that p95.

    uv run python bench/workforce.py                       # national world, PostgreSQL
    uv run python bench/workforce.py --size demo --database sqlite:////tmp/bench.sqlite3
    uv run python bench/workforce.py --councils 150 --database postgres://...  # in between
"""

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mutualwatch_bench_workforce"
TARGET_TIMES_P95 = 100
PAGE_REQUESTS = 50


def timed(label: str, started: float) -> float:
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:,.1f} s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="national", choices=["tiny", "demo", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--councils", type=int, help="The size's world with this many councils instead."
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    arguments = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from bench.web import ensure_database

    ensure_database(arguments.database)
    os.environ["DATABASE_URL"] = arguments.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualwatch.settings")
    os.environ["MUTUALWATCH_CACHE_PUBLIC_PAGES"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from mutualwatch.demoworld.histories import build_world
    from mutualwatch.demoworld.loading import _load_workforce_records
    from mutualwatch.demoworld.parameters import world_parameters
    from mutualwatch.demoworld.register import REGISTER_FILE, write_register
    from mutualwatch.demoworld.workforce import RECORDS_FILE, write_workforce
    from mutualwatch.register.importing import import_register
    from mutualwatch.register.models import Arrangement, Authority
    from mutualwatch.workforce.models import Publication, TermsRecord
    from mutualwatch.workforce.publishing import publish, run_audit

    councils = f", {arguments.councils} councils" if arguments.councils else ""
    print(f"World: {arguments.size}{councils} (seed {arguments.seed}), {connection.vendor}")
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        parameters = world_parameters(arguments.seed, arguments.size)
        if arguments.councils:
            size = dataclasses.replace(parameters.size, councils=arguments.councils)
            parameters = dataclasses.replace(parameters, size=size)
        world = build_world(parameters)
        write_register(world, out)
        records = write_workforce(world, out)
        timed(f"generating the register and {records:,} workforce records", started)
        if not Authority.objects.filter(nation="fictional").exists():
            started = time.perf_counter()
            import_register(out / REGISTER_FILE)
            timed(f"importing the register ({Arrangement.objects.count():,} arrangements)", started)
        if not TermsRecord.objects.exists():
            started = time.perf_counter()
            _load_workforce_records(out / RECORDS_FILE)
            timed("loading the workforce records (sealed)", started)
    # Each run protects a first publication from the same records.
    Publication.objects.all().delete()
    TermsRecord.objects.update(first_published=None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    started = time.perf_counter()
    publication = publish()
    protect_seconds = timed("publishing (protecting every table)", started)
    started = time.perf_counter()
    findings = run_audit()
    audit_seconds = timed("auditing", started)

    suppressed = sum(1 for cell in publication.cells if cell["suppressed"])
    failed = sum(1 for finding in findings if not finding.passed)

    client = Client(HTTP_HOST="127.0.0.1")
    council = Authority.objects.filter(nation="fictional").order_by("gss_code").first()
    assert council is not None
    address = f"/authorities/{council.gss_code}/"
    client.get(address)  # the first visit after a change draws the timeline; not counted
    latencies = []
    for _ in range(PAGE_REQUESTS):
        started = time.perf_counter()
        response = client.get(address)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    p95 = statistics.quantiles(latencies, n=100)[94]

    print()
    print(f"Records:                 {publication.respondents:,}")
    print(
        f"Cells:                   {len(publication.cells):,} published, {suppressed:,} "
        f"suppressed ({suppressed / len(publication.cells):.1%})"
    )
    print(f"Publish (suppression):   {protect_seconds:,.1f} s")
    print(f"Audit:                   {audit_seconds:,.1f} s ({len(findings):,} cells checked, "
          f"{failed:,} failed)")  # fmt: skip
    print(f"Council page p95:        {p95:,.1f} ms ({PAGE_REQUESTS} rendered requests, {address})")
    ratio = audit_seconds * 1000 / p95
    met = audit_seconds * 1000 < TARGET_TIMES_P95 * p95
    print(
        f"Audit / page p95:        {ratio:,.0f}x (target under {TARGET_TIMES_P95}x): "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
