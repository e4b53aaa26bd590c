"""The world's councils and register use only codes the register accepts, and never real ones."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.demoworld.authorities import KIND_COUNTS, generate_authorities, kinds_in_proportion
from mutualwatch.demoworld.names import name_variant, strip_legal_suffix, typo
from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.demoworld.randomness import stream
from mutualwatch.register.models import (
    GSS_CODE,
    ArrangementOrigin,
    AuthorityKind,
    ControllerKind,
    EventType,
    IdentifierScheme,
    LegalForm,
    Nation,
    SourceKind,
)
from tests.demoworld.conftest import read_register
from tests.shared_data import AUTHORITIES_CSV, require

CHOICES = {
    ("authority", "kind"): AuthorityKind.values,
    ("authority", "nation"): Nation.values,
    ("provider", "legal_form"): LegalForm.values,
    ("provider_identifier", "scheme"): IdentifierScheme.values,
    ("provider_control", "controller_kind"): ControllerKind.values,
    ("arrangement", "origin"): ArrangementOrigin.values,
    ("event", "event_type"): EventType.values,
    ("source", "kind"): SourceKind.values,
}


def test_every_coded_value_is_a_register_choice(tiny_world: Path):
    for record in read_register(tiny_world):
        for (record_type, field), allowed in CHOICES.items():
            if record["record_type"] == record_type:
                assert record[field] in allowed, (record_type, field, record[field])


def test_source_urls_are_valid_urls_on_reserved_domains(tiny_world: Path):
    validate = URLValidator()
    for record in read_register(tiny_world):
        if record["record_type"] == "source":
            validate(record["url"])
            host = record["url"].split("/")[2]
            assert host.endswith((".example.org", ".example.com"))


def test_an_invalid_url_is_caught():
    with pytest.raises(ValidationError):
        URLValidator()("not a url")


def test_gss_codes_are_valid_and_fictional():
    authorities = generate_authorities(world_parameters(3, "national"))
    codes = [authority.gss_code for authority in authorities]
    assert len(set(codes)) == len(codes) == 400
    for code in codes:
        GSS_CODE(code)
        assert code.startswith("X")
    assert len({authority.name for authority in authorities}) == 400


def test_kinds_follow_real_proportions():
    kinds = Counter(kinds_in_proportion(400))
    total = sum(KIND_COUNTS.values())
    for kind, count in KIND_COUNTS.items():
        assert abs(kinds[kind] - 400 * count / total) < 1
    assert Counter(kinds_in_proportion(5)) == Counter(
        {"district": 2, "unitary": 1, "metropolitan-borough": 1, "london-borough": 1}
    )


def test_no_fictional_council_has_a_real_council_s_name():
    path = require(AUTHORITIES_CSV)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    real = {value.lower() for row in rows for key, value in row.items() if "name" in key and value}
    assert len(real) > 300
    for authority in generate_authorities(world_parameters(3, "national")):
        assert authority.name.lower() not in real
        assert authority.place.lower() not in real


company_names = st.from_regex(
    r"[A-Z][a-z]{3,9}( [A-Z][a-z]{2,9}){0,3} (Limited|CIC|Ltd)", fullmatch=True
)


@given(company_names, st.integers(min_value=0, max_value=10_000))
def test_a_name_variant_keeps_the_name_s_stem(name, seed):
    variant = name_variant(name, stream(seed, "variant"))
    stem = strip_legal_suffix(name).replace(" and ", " & ")
    assert variant.lower().startswith(stem.lower())


@given(company_names, st.integers(min_value=0, max_value=10_000))
def test_a_typo_changes_at_most_two_letters(name, seed):
    slipped = typo(name, stream(seed, "typo"))
    assert abs(len(slipped) - len(name)) <= 1
    assert slipped[0] == name[0]
