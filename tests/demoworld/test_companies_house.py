"""The Companies House file has the real header, and its rows are regenerated exactly."""

import csv
import math
from pathlib import Path

from mutualwatch.demoworld.companies import (
    COMPANIES_HOUSE_FILE,
    COMPANIES_HOUSE_HEADER,
    NAME_MULTIPLIER,
    NAME_SPACE,
    background_company,
    companies_house_row,
    name_core,
)
from mutualwatch.demoworld.parameters import SIZES, world_parameters
from tests.demoworld.conftest import TINY_SEED
from tests.shared_data import COMPANIES_HOUSE, require


def test_the_header_is_the_real_header_byte_for_byte(tiny_world: Path):
    real = require(COMPANIES_HOUSE / "BasicCompanyData-sample-2021.csv")
    with real.open("rb") as handle:
        real_header = handle.readline()
    with (tiny_world / COMPANIES_HOUSE_FILE).open("rb") as handle:
        ours = handle.readline()
    assert ours == real_header
    assert COMPANIES_HOUSE_HEADER.encode() + b"\n" == real_header


def test_every_row_has_a_cell_for_every_column_and_a_unique_number(tiny_world: Path):
    with (tiny_world / COMPANIES_HOUSE_FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    width = len(rows[0])
    assert width == 55
    assert all(len(row) == width for row in rows[1:])
    numbers = [row[1] for row in rows[1:]]
    assert len(numbers) == len(set(numbers)) == 2_000
    assert all(len(number) == 8 and number.startswith("X") for number in numbers)


def test_a_background_company_is_regenerated_exactly_from_its_index(tiny_world: Path):
    """Random access is what keeps memory flat: row 1234 is a function of the seed and 1234."""
    parameters = world_parameters(TINY_SEED, "tiny")
    with (tiny_world / COMPANIES_HOUSE_FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    world_numbers = {
        line.split('"number":"', 1)[1].split('"', 1)[0]
        for line in (tiny_world / "ground_truth" / "companies.jsonl").read_text().splitlines()
    }
    background = [i for i, row in enumerate(rows) if row[1] not in world_numbers]
    assert len(background) > 1_500
    for index in background[::97]:
        assert companies_house_row(background_company(parameters, index)) == rows[index]


def registered_name(name: str) -> str:
    """Companies House treats `Ltd` and `Limited` (and case) as the same name."""
    return name.upper().removesuffix(" LTD").removesuffix(" LIMITED")


def test_no_two_companies_share_a_name(tiny_world: Path):
    with (tiny_world / COMPANIES_HOUSE_FILE).open(encoding="utf-8", newline="") as handle:
        names = [registered_name(row[0]) for row in list(csv.reader(handle))[1:]]
    assert len(set(names)) == len(names)


def test_background_names_are_one_to_one_with_their_index():
    assert math.gcd(NAME_MULTIPLIER, NAME_SPACE) == 1
    assert SIZES["national"].register_companies <= NAME_SPACE
    cores = {name_core(index, 12_345) for index in range(0, NAME_SPACE, 7)}
    assert len(cores) == len(range(0, NAME_SPACE, 7))
