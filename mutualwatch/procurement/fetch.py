"""Downloading the OCDS standard (schemas and codelists) into the local standard directory.

The only network code in the app, run by hand (``mutualwatch fetch-standard``) and never during
ingest. Files land in a temporary directory first and replace the target only when they all
arrived and the release schema compiles, so a failed download never leaves half a standard.
"""

import re
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema_rs
import orjson

from mutualwatch.procurement.exceptions import StandardDownloadError
from mutualwatch.procurement.standard import REQUIRED_FILES

DEFAULT_BASE_URL = "https://standard.open-contracting.org/schema/{version}/"
VERSION_TAG = re.compile(r"^\d+__\d+__\d+$")
SCHEMA_FILES = (
    *REQUIRED_FILES,
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
CODELISTS = (
    "awardCriteria",
    "awardStatus",
    "contractStatus",
    "currency",
    "documentType",
    "extendedProcurementCategory",
    "initiationType",
    "itemClassificationScheme",
    "method",
    "milestoneStatus",
    "milestoneType",
    "partyRole",
    "procurementCategory",
    "relatedProcess",
    "relatedProcessScheme",
    "releaseTag",
    "submissionMethod",
    "tenderStatus",
    "unitClassificationScheme",
)
TIMEOUT_SECONDS = 30


def fetch_standard(target: Path, version: str = "1__1__5", base_url: str | None = None) -> int:
    """Download the standard into ``target``; returns the number of files written."""
    if not VERSION_TAG.match(version):
        raise ValueError(f"{version!r} is not an OCDS version tag such as 1__1__5.")
    base = (base_url or DEFAULT_BASE_URL).format(version=version)
    if not base.endswith("/"):
        base += "/"
    names = [*SCHEMA_FILES, *(f"codelists/{name}.csv" for name in CODELISTS)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        staging = Path(scratch) / "standard"
        (staging / "codelists").mkdir(parents=True)
        for name in names:
            (staging / name).write_bytes(_download(base + name))
        try:
            schema = orjson.loads((staging / "release-schema.json").read_bytes())
            jsonschema_rs.validator_for(schema)
        except (orjson.JSONDecodeError, ValueError) as error:
            raise StandardDownloadError(
                f"{base}release-schema.json is not a usable JSON Schema ({error})."
            ) from error
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    return len(names)


def _download(url: str) -> bytes:
    if not url.startswith(("https://", "http://", "file://")):
        raise StandardDownloadError(f"{url}: only http(s) and file URLs are fetched.")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StandardDownloadError(f"{url}: could not be downloaded ({reason}).") from error
