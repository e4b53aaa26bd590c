"""Generate a demo world into a directory: the pipeline, step by step.

Each step streams its output to disk; the only thing held whole is the true world itself
(councils, providers, histories), which stays small even nationally. The large outputs (OCDS
releases, the Companies House file) are written one authority, or one batch of rows, at a time.
"""

import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from mutualwatch.demoworld.companies import COMPANIES_HOUSE_FILE, write_companies_house
from mutualwatch.demoworld.cooperatives import COOPERATIVES_FILE, write_cooperatives
from mutualwatch.demoworld.exceptions import OutputNotDirectoryError, OutputNotEmptyError
from mutualwatch.demoworld.histories import World, build_world
from mutualwatch.demoworld.ownership import BODS_FOLDER, write_ownership
from mutualwatch.demoworld.parameters import WorldParameters
from mutualwatch.demoworld.procurement import AuthorityProcurements, Release, release_package
from mutualwatch.demoworld.randomness import stream
from mutualwatch.demoworld.register import REGISTER_FILE, write_register
from mutualwatch.demoworld.spend import SpendLedger, write_spend_files
from mutualwatch.demoworld.workforce import RECORDS_FILE as WORKFORCE_RECORDS_FILE
from mutualwatch.demoworld.workforce import write_workforce

PARAMETERS_FILE = "parameters.json"
WORLD_FORMAT = "mutualwatch-demo-world"
OCDS_FOLDER = "ocds"
SPEND_FOLDER = "spend"
GROUND_TRUTH_FOLDER = "ground_truth"
# What a world writes at the top of its directory: all of it is replaced by a new run.
WORLD_ENTRIES = (
    PARAMETERS_FILE,
    REGISTER_FILE,
    OCDS_FOLDER,
    SPEND_FOLDER,
    GROUND_TRUTH_FOLDER,
    BODS_FOLDER,
    COMPANIES_HOUSE_FILE.split("/", maxsplit=1)[0],
    COOPERATIVES_FILE.split("/", maxsplit=1)[0],
    WORKFORCE_RECORDS_FILE.split("/", maxsplit=1)[0],
)
PACKAGE_HOST = "https://contracts.example.org"


class Progress(Protocol):
    """What the pipeline reports: a step starting with the units it expects, units done."""

    def start(self, step: str, total: int) -> None: ...

    def advance(self, units: int) -> None: ...


class QuietProgress:
    def start(self, step: str, total: int) -> None:
        pass

    def advance(self, units: int) -> None:
        pass


def is_previous_world(out: Path) -> bool:
    parameters = out / PARAMETERS_FILE
    if not parameters.is_file():
        return False
    try:
        return orjson.loads(parameters.read_bytes()).get("format") == WORLD_FORMAT
    except (orjson.JSONDecodeError, AttributeError):
        return False


def prepare_output(out: Path) -> None:
    """Make `out` ready: create it, or clear a previous world from it.

    A directory holding anything else is refused: the generator never deletes what it did not
    write.
    """
    if out.exists() and not out.is_dir():
        msg = f"{out} is a file; give --out a directory (new or empty, or a previous world)."
        raise OutputNotDirectoryError(msg)
    if out.is_dir() and any(out.iterdir()):
        if not is_previous_world(out):
            msg = (
                f"{out} is not empty and is not a previous demo world (no {PARAMETERS_FILE} "
                "written by generate-world); choose a new or empty directory."
            )
            raise OutputNotEmptyError(msg)
        for entry in WORLD_ENTRIES:
            path = out / entry
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def json_line(value: object) -> bytes:
    return orjson.dumps(value, default=str) + b"\n"


def write_json_lines(path: Path, items: Iterator[object]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("wb") as handle:
        for item in items:
            handle.write(json_line(item))
            count += 1
    return count


def history_truth(world: World) -> Iterator[dict[str, Any]]:
    providers = {provider.uid: provider for provider in world.providers()}
    for history in world.histories:
        yield {
            "authority": history.authority,
            "service_area": history.service_area,
            "in_register": history.ever_external,
            "spells": [
                {
                    "arrangement": spell.uid,
                    "provider": spell.provider_uid,
                    "provider_legal_form": providers[spell.provider_uid].legal_form,
                    "origin": spell.origin,
                    "start": spell.start.isoformat(),
                    "end": spell.end.isoformat() if spell.end else "",
                    "exit": spell.exit,
                    "ocid": spell.ocid,
                    "extensions": [day.isoformat() for day in spell.extensions],
                }
                for spell in history.spells
            ],
        }


def provider_truth(world: World) -> Iterator[dict[str, Any]]:
    for provider in world.providers():
        company = provider.company
        yield {
            "uid": provider.uid,
            "name": provider.name,
            "legal_form": provider.legal_form,
            "company": company.key if company else "",
            "authority": provider.authority,
            "service_area": provider.service_area,
            "formed_on": provider.formed_on.isoformat() if provider.formed_on else "",
            "fate": provider.fate,
            "fate_on": provider.fate_on.isoformat() if provider.fate_on else "",
            "controls": [asdict(control) for control in provider.controls],
        }


def company_truth(world: World) -> Iterator[dict[str, Any]]:
    owners = {p.company.key: p.uid for p in world.providers() if p.company is not None}
    for company in world.companies():
        yield {
            "company": company.key,
            "register": company.register,
            "number": company.number,
            "name": company.name,
            "status": company.status,
            "provider": owners.get(company.key, ""),
            "decoy_of": company.decoy_of,
        }


def write_parameters(parameters: WorldParameters, out: Path) -> None:
    document = {"format": WORLD_FORMAT, **parameters.as_document()}
    (out / PARAMETERS_FILE).write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")


class OcdsWriter:
    """Writes releases as per-authority-per-year packages (.json) and per-year JSON Lines of
    one-release packages (.jsonl), the two shapes UK publishers use."""

    def __init__(self, out: Path, stack: ExitStack) -> None:
        self.folder = out / OCDS_FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self.stack = stack
        self.lines: dict[int, IO[bytes]] = {}
        self.releases = 0

    def year_lines(self, year: int) -> IO[bytes]:
        if year not in self.lines:
            path = self.folder / f"releases-{year}.jsonl"
            self.lines[year] = self.stack.enter_context(path.open("wb"))
        return self.lines[year]

    def write_authority(self, gss_code: str, releases: list[Release]) -> None:
        ordered = sorted(releases, key=lambda release: (release["date"], release["id"]))
        by_year: dict[int, list[Release]] = {}
        for release in ordered:
            by_year.setdefault(int(release["date"][:4]), []).append(release)
        for year, year_releases in sorted(by_year.items()):
            name = f"{gss_code}-{year}.json"
            package = release_package(f"{PACKAGE_HOST}/packages/{name}", year_releases)
            (self.folder / name).write_bytes(orjson.dumps(package))
            lines = self.year_lines(year)
            for release in year_releases:
                single = release_package(f"{PACKAGE_HOST}/releases/{release['id']}.json", [release])
                lines.write(orjson.dumps(single) + b"\n")
            self.releases += len(year_releases)


def write_procurement(world: World, out: Path, advance: Callable[[int], None]) -> dict[str, int]:
    """OCDS, spend files and their ground truth, one authority at a time."""
    truth = out / GROUND_TRUTH_FOLDER
    counts = {"releases": 0, "procurements": 0, "payments": 0}
    with ExitStack() as stack:
        ocds = OcdsWriter(out, stack)
        procurements_file = stack.enter_context((truth / "procurements.jsonl").open("wb"))
        mentions_file = stack.enter_context((truth / "supplier_mentions.jsonl").open("wb"))
        vendors_file = stack.enter_context((truth / "spend_suppliers.jsonl").open("wb"))
        for authority in world.authorities:
            ledger = SpendLedger(
                authority, stream(world.parameters.seed, "spend", authority.gss_code)
            )
            releases: list[Release] = []
            for procurement in AuthorityProcurements(world, authority.gss_code).procurements():
                releases.extend(procurement.releases)
                procurements_file.write(json_line(procurement.truth()))
                for item in procurement.mentions:
                    mentions_file.write(json_line(asdict(item)))
                ledger.add(procurement)
                counts["procurements"] += 1
            ocds.write_authority(authority.gss_code, releases)
            counts["payments"] += write_spend_files(ledger, out / SPEND_FOLDER)
            for company, vendor in ledger.vendors.items():
                vendors_file.write(
                    json_line(
                        {
                            "authority": authority.gss_code,
                            "supplier_id": vendor.supplier_id,
                            "supplier_name": vendor.name,
                            "company": company,
                        }
                    )
                )
            advance(1)
        counts["releases"] = ocds.releases
    return counts


def generate_world(
    parameters: WorldParameters, out: Path, progress: Progress | None = None
) -> dict[str, int]:
    """Write the whole world into `out`; returns counts of what was written, by kind."""
    report = progress or QuietProgress()
    prepare_output(out)
    write_parameters(parameters, out)
    report.start("Drawing the world's histories", 1)
    world = build_world(parameters)
    report.advance(1)
    counts: dict[str, int] = {"authorities": len(world.authorities)}
    report.start("Writing the register", 1)
    counts["register_records"] = write_register(world, out)
    truth = out / GROUND_TRUTH_FOLDER
    counts["histories"] = write_json_lines(truth / "histories.jsonl", history_truth(world))
    counts["providers"] = write_json_lines(truth / "providers.jsonl", provider_truth(world))
    counts["world_companies"] = write_json_lines(truth / "companies.jsonl", company_truth(world))
    report.advance(1)
    report.start("Writing OCDS releases and spend files", len(world.authorities))
    counts |= write_procurement(world, out, report.advance)
    report.start("Writing the Companies House file", parameters.size.register_companies)
    counts["register_companies"] = write_companies_house(world, out, report.advance)
    report.start("Writing BODS and co-operative registers", 2)
    counts["bods_files"] = write_ownership(world, out)
    report.advance(1)
    counts["cooperatives"] = write_cooperatives(world, out)
    report.advance(1)
    report.start("Writing workforce records", 1)
    counts["workforce_records"] = write_workforce(world, out)
    report.advance(1)
    return counts
