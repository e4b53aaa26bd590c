"""The OCDS 1.1.5 release schema and codelists that ship inside the package: what ingest reads
when no other standard is configured, unchanged from the standard itself."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from mutualwatch.procurement.standard import RELEASE_SCHEMA
from tests.shared_data import OCDS_STANDARD, require

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "mutualwatch" / "procurement" / "ocds_standard"

CHECK_A_RELEASE = """
import django, json
django.setup()
from django.conf import settings
from mutualwatch.procurement.standard import load_standard
from mutualwatch.procurement.validation import release_validator
standard = load_standard()
validator = release_validator()
good = {"ocid": "ocds-213czf-1", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"],
        "initiationType": "tender"}
bad = dict(good, tag="tender")
print(json.dumps({
    "directory": str(standard.directory),
    "shipped": str(settings.SHIPPED_OCDS_STANDARD_DIR),
    "codelists": len(standard.codelists),
    "good": [e.as_dict() for e in validator.errors(good)],
    "bad": [e.path for e in validator.errors(bad)],
}))
"""


def test_unconfigured_the_standard_is_the_shipped_one_and_validates_a_release(tmp_path):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("MUTUALWATCH_OCDS_STANDARD", "DATABASE_URL")
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "mutualwatch.settings",
        "MUTUALWATCH_DATA_DIR": str(tmp_path),
        "MUTUALWATCH_SHARED_DATA": str(tmp_path / "no-shared-data"),
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECK_A_RELEASE],
        cwd=tmp_path,  # nowhere near ../shared
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    assert Path(found["directory"]) == Path(found["shipped"]).resolve() == SHIPPED
    assert found["codelists"] == 19
    assert found["good"] == []
    assert found["bad"] == ["/tag"]


def test_the_shipped_files_are_the_standards_own_byte_for_byte():
    standard = require(OCDS_STANDARD)
    shipped = sorted(
        path.relative_to(SHIPPED)
        for path in SHIPPED.rglob("*")
        if path.is_file() and path.name not in ("LICENSE", "NOTICE")
    )
    codelists = sorted((standard / "codelists").glob("*.csv"))
    assert shipped == sorted(
        [Path(RELEASE_SCHEMA), *(path.relative_to(standard) for path in codelists)]
    )
    for name in shipped:
        assert (SHIPPED / name).read_bytes() == (standard / name).read_bytes(), name


def test_the_licence_and_notice_ship_beside_it():
    assert "Apache License" in (SHIPPED / "LICENSE").read_text()
    notice = (SHIPPED / "NOTICE").read_text()
    assert "Open Contracting Partnership" in notice
    assert "1__1__5" in notice


@pytest.mark.django_db
def test_fetch_standard_never_writes_into_the_package(tmp_path, ocds_standard, settings):
    settings.OCDS_STANDARD_DIR = settings.SHIPPED_OCDS_STANDARD_DIR
    settings.DATA_DIR = tmp_path
    before = sorted(SHIPPED.rglob("*"))
    call_command("fetch_standard", "--base-url", ocds_standard.as_uri() + "/")
    assert sorted(SHIPPED.rglob("*")) == before
    assert (tmp_path / "ocds-standard" / "1__1__5" / RELEASE_SCHEMA).is_file()
