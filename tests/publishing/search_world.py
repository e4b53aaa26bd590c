"""A small world to search, made by the real importers: four real councils with every spelling
the names lookup has for them, and procurement notices that name them."""

import csv
from pathlib import Path

from mutualwatch.councils import services
from mutualwatch.procurement.services import ingest_paths
from mutualwatch.register.models import Authority
from tests.procurement.conftest import package, release, write_json
from tests.shared_data import AUTHORITIES_CSV, NAMES_CSV, require

#: Sunderland City Council; South Tyneside Council, a neighbour; the Council of the Isles of
#: Scilly; Folkestone and Hythe District Council, called Shepway District Council until 2018.
COUNCILS = ("SND", "STY", "IOS", "SHE")
#: How many notices Sunderland published: more than a page.
SUNDERLAND_NOTICES = 55


def rows_of(source: Path, target: Path, codes: tuple[str, ...]) -> Path:
    """The rows of a real file for these registry codes, with its header, as a file."""
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["local-authority-code"] in codes]
        header = reader.fieldnames or []
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return target


def import_councils(folder: Path) -> dict[str, Authority]:
    """The four councils, by registry code, as `import-authorities` and
    `import-authority-names` load them."""
    services.import_authorities(rows_of(require(AUTHORITIES_CSV), folder / "la.csv", COUNCILS))
    services.import_authority_names(rows_of(require(NAMES_CSV), folder / "names.csv", COUNCILS))
    return {a.registry_code: a for a in Authority.objects.filter(registry_code__in=COUNCILS)}


def notice(ocid: str, title: str, buyer: str, supplier: str) -> dict:
    return release(
        ocid,
        "1",
        tag=["award"],
        buyer={"id": "buyer", "name": buyer},
        parties=[
            {"id": "buyer", "name": buyer, "roles": ["buyer"]},
            {"id": "supplier", "name": supplier, "roles": ["supplier"]},
        ],
        tender={"id": f"{ocid}-tender", "title": title},
        awards=[
            {
                "id": f"{ocid}-award",
                "status": "active",
                "suppliers": [{"id": "supplier", "name": supplier}],
            }
        ],
    )


def ingest_notices(folder: Path) -> None:
    """Sunderland's notices, each naming the council in its title, and one South Tyneside
    notice naming Wearside Leisure Trust in its title; ingested as `ingest-ocds` does (which
    indexes what it compiled)."""
    notices = [
        notice(
            f"ocds-sw-{number:03}",
            f"Leisure centre services for Sunderland City Council, lot {number}",
            "Sunderland City Council",
            "Wearside Leisure Trust",
        )
        for number in range(SUNDERLAND_NOTICES)
    ]
    notices.append(
        notice(
            "ocds-sw-wlt",
            "Wearside Leisure Trust: extension of the leisure contract",
            "South Tyneside Council",
            "Wearside Leisure Trust",
        )
    )
    ingest_paths([write_json(folder / "notices.json", package(*notices))])
