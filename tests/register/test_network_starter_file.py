"""The shipped starter file of the network's real members imports cleanly on the real UK
council register, and every row cites its source."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

import mutualwatch.register
from mutualwatch.councils.services import import_authorities
from mutualwatch.register.models import NetworkMembership, Source
from mutualwatch.register.network_file import COLUMNS
from tests.shared_data import AUTHORITIES_CSV, require

STARTER = Path(mutualwatch.register.__file__).parent / "data" / "co-operative-councils-network.csv"


def starter_rows() -> list[dict[str, str]]:
    with STARTER.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_row_of_the_starter_file_cites_a_web_page():
    rows = starter_rows()
    assert list(rows[0]) == COLUMNS
    assert rows
    assert all(row["source_url"].startswith(("https://", "http://")) for row in rows)
    assert all(row["source_title"] for row in rows)
    assert (STARTER.with_suffix(".md")).exists()


@pytest.mark.django_db
def test_the_starter_file_imports_cleanly_on_the_real_council_register(capsys):
    import_authorities(require(AUTHORITIES_CSV))
    by_tier = Counter(row["tier"] or "not stated" for row in starter_rows())
    by_type = Counter(row["member_type"] for row in starter_rows())

    call_command("import_network", str(STARTER))
    call_command("import_network", str(STARTER))

    first, again = capsys.readouterr().out.splitlines()
    total = sum(by_tier.values())
    counts = f"tiers {dict(sorted(by_tier.items()))}, types {dict(sorted(by_type.items()))}"
    assert first.startswith(f"Memberships: {total} added, 0 unchanged, 0 updated;"), counts
    assert again.startswith(f"Memberships: 0 added, {total} unchanged, 0 updated;"), counts
    assert NetworkMembership.objects.count() == total, counts
    assert not NetworkMembership.objects.filter(source__isnull=True).exists()
    assert set(Source.objects.values_list("state", "kind").distinct()) == {
        ("published", "web-page")
    }
    councils = NetworkMembership.objects.filter(member_type="council")
    assert councils.filter(authority__isnull=True).count() == 0
