"""Contracts from real procurement notices on the provider and council pages."""

import json
from pathlib import Path

import pytest

from mutualwatch.procurement.models import PartyIdentifier, with_role
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.register.models import ProviderIdentifier
from tests.conftest import build_authority, build_provider
from tests.shared_data import BLUETAIL, OCDS_STANDARD, require

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_data(settings):
    require(BLUETAIL)
    settings.OCDS_STANDARD_DIR = require(OCDS_STANDARD)


@pytest.fixture
def ingested(settings):
    files = sorted(BLUETAIL.glob("*.json"))[:40]
    ingest_paths(files)
    supplier = PartyIdentifier.objects.filter(
        with_role("supplier", prefix="party__"), scheme="GB-COH"
    ).first()
    assert supplier is not None, "no supplier with a Companies House number in the sample"
    return supplier


def test_a_provider_page_lists_the_contracts_awarded_to_its_company_number(client, ingested):
    provider = build_provider(name="Matched Supplier Ltd", legal_form="private-company")
    ProviderIdentifier.objects.create(
        provider=provider, scheme="GB-COH", identifier=ingested.identifier
    )
    page = client.get(f"/providers/{provider.uid}/").content.decode()
    ocid = ingested.party.process_id
    assert "Contracts it holds" in page
    assert f'href="/contracts/{ocid}/"' in page

    contract_page = client.get(f"/contracts/{ocid}/")
    assert contract_page.status_code == 200
    assert ingested.party.process.buyer_name in contract_page.content.decode()

    download = client.get(f"/contracts/{ocid}/?format=json")
    assert json.loads(download.content)["ocid"] == ocid


def test_a_provider_without_register_numbers_shows_no_contracts(client, ingested):
    provider = build_provider(name="Unnumbered Mutual")
    assert "Contracts it holds" not in client.get(f"/providers/{provider.uid}/").content.decode()


def test_an_unknown_contract_is_not_found(client):
    assert client.get("/contracts/ocds-nothing-here/").status_code == 404


def test_a_councils_page_lists_the_procurements_it_published(client, ingested):
    process = ingested.party.process
    council = build_authority(name=process.buyer_name or "Buyer Council")
    process.authority = council
    process.save()
    page = client.get(f"/authorities/{council.gss_code}/").content.decode()
    assert "Procurements it published" in page
    assert f'href="/contracts/{process.ocid}/"' in page


def test_contracts_are_searchable_once_the_index_is_rebuilt(client, ingested):
    from mutualwatch.publishing.search import rebuild_search_index

    rebuild_search_index()
    supplier_name = ingested.party.name.split()[0]
    found = client.get("/search/", {"q": supplier_name, "kind": "contract"}).content.decode()
    assert f'href="/contracts/{ingested.party.process_id}/"' in found


def test_contract_documents_read_in_small_batches_are_the_same(ingested, monkeypatch):
    """Processes are read a batch at a time with their suppliers: none lost, none twice."""
    from mutualwatch.publishing import search

    def documents() -> list[tuple[str, str, str, str]]:
        return [(d.key, d.title, d.body, d.url) for d in search.contract_documents()]

    whole = documents()
    monkeypatch.setattr(search, "BATCH", 7)
    assert len(whole) > 7 * 3
    assert documents() == whole
    assert any("Ltd" in body or "LTD" in body for _, _, body, _ in whole)  # suppliers in


def test_the_ingest_command_makes_what_it_compiled_searchable(settings):
    """No rebuild needed: `ingest-ocds` indexes the processes it compiled, and says so."""
    from io import StringIO

    from django.core.management import call_command

    from mutualwatch.procurement.models import IngestRun, ProcurementProcess
    from mutualwatch.publishing.models import SearchDocument, SearchKind

    files = sorted(BLUETAIL.glob("*.json"))[:5]
    output = StringIO()
    call_command("ingest_ocds", *[str(f) for f in files], "--no-progress", stdout=output)
    compiled = ProcurementProcess.objects.filter(compiled__isnull=False)
    assert f"Search index: {compiled.count():,} contracts indexed." in output.getvalue()
    indexed = SearchDocument.objects.filter(kind=SearchKind.CONTRACT)
    assert sorted(indexed.values_list("key", flat=True)) == sorted(
        compiled.values_list("ocid", flat=True)
    )
    process = compiled.first()
    assert indexed.get(key=process.ocid).url == f"/contracts/{process.ocid}/"
    releases = sum(len(json.loads(f.read_text())["releases"]) for f in files)
    run = IngestRun.objects.get()
    assert (run.files, run.releases_read, run.ocids_compiled) == (5, releases, compiled.count())


def test_a_cached_page_shows_what_the_next_ingest_brought(client, settings):
    """Visitors' pages are cached until the register or the procurement data changes: a
    provider's page cached before an ingest lists the contracts the ingest brought."""
    settings.CACHE_PUBLIC_PAGES = True
    files, number = _files_with_a_supplier_number()
    provider = build_provider(name="Awarded Services Ltd")
    ProviderIdentifier.objects.create(provider=provider, scheme="GB-COH", identifier=number)
    url = f"/providers/{provider.uid}/"
    assert 'href="/contracts/' not in client.get(url).content.decode()
    ingest_paths(files)
    assert 'href="/contracts/' in client.get(url).content.decode()


def _files_with_a_supplier_number() -> tuple[list[Path], str]:
    """The first sample file naming a supplier by Companies House number, and the number."""
    for path in sorted(BLUETAIL.glob("*.json")):
        for release in json.loads(path.read_text())["releases"]:
            for party in release.get("parties", []):
                identifier = party.get("identifier") or {}
                if "supplier" in party.get("roles", []) and identifier.get("scheme") == "GB-COH":
                    return [path], str(identifier["id"])
    pytest.skip("no supplier with a Companies House number in the sample")


def test_an_ingest_by_any_path_indexes_its_contracts_for_search(client, ingested):
    """The ingest service itself says it finished (``ingest_finished``), not only the command:
    a contract ingested by ``ingest_paths`` (as the harvesters and the demo will) is found."""
    title = ingested.party.process.title
    assert title
    word = max(title.split(), key=len)
    page = client.get(f"/search/?q={word}&kind=contract").content.decode()
    assert f'href="/contracts/{ingested.party.process_id}/"' in page


def test_a_councils_page_lists_its_awards_by_provider_linked_both_ways(client, ingested):
    """The council's page lists the award under the provider that won it, with its value in
    pounds, linking to the notice; the notice links its supplier back to the provider."""
    from mutualwatch.procurement.models import Award, ProcurementProcess

    council = build_authority(name="Awarding Council", gss_code="X09000321")
    ocid = ingested.party.process_id
    ProcurementProcess.objects.filter(ocid=ocid).update(authority=council)
    provider = build_provider(name="Matched Supplier Ltd", legal_form="private-company")
    ProviderIdentifier.objects.create(
        provider=provider, scheme="GB-COH", identifier=ingested.identifier
    )
    award = Award.objects.filter(process_id=ocid, suppliers__party=ingested.party).first()
    assert award is not None

    page = client.get("/authorities/X09000321/").content.decode()
    contracts = page[page.index('<h2 id="contracts">') :]
    group = contracts[contracts.index(f'href="/providers/{provider.uid}/"') :]
    assert f'href="/contracts/{ocid}/"' in group.split("</table>")[0]
    if award.value_amount is not None and award.value_currency == "GBP":
        assert "£" in group.split("</table>")[0]
        assert f"{award.value_amount:.2f} GBP" not in page

    notice = client.get(f"/contracts/{ocid}/").content.decode()
    assert f'href="/providers/{provider.uid}/"' in notice
    assert 'href="/authorities/X09000321/"' in notice
