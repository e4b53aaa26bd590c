"""The depth gauge measures what a parser would build, over any chunking, before parsing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.json_depth import MAX_DEPTH, DepthGauge, TooDeepError, check_depth
from mutualwatch.register.exceptions import RegisterFileError
from mutualwatch.register.importing import import_register
from tests.shared_data import OCDS_STANDARD, require

REPO = Path(__file__).resolve().parents[1]

# Strings full of what could fool a gauge: brackets, quotes, backslashes.
tricky_text = st.text(alphabet=st.sampled_from('[]{}"\\\\ab\\n'), max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(tricky_text, children, max_size=3)
    ),
    max_leaves=30,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    return 0


@given(json_values, st.lists(st.integers(min_value=1, max_value=7), min_size=1))
def test_the_gauge_finds_the_true_depth_however_the_bytes_are_cut(value, cuts):
    text = json.dumps(value).encode()
    depth = depth_of(value)

    def gauge_with(limit: int) -> None:
        gauge, start, step = DepthGauge(limit), 0, 0
        while start < len(text):
            size = cuts[step % len(cuts)]
            gauge.feed(text[start : start + size])
            start, step = start + size, step + 1

    gauge_with(depth)
    if depth:
        with pytest.raises(TooDeepError):
            gauge_with(depth - 1)


def test_ocds_depth_fits_well_under_the_limit():
    check_depth(b'{"releases": [{"contracts": [{"implementation": {"transactions": [{}]}}]}]}')
    assert MAX_DEPTH >= 32


def test_a_deep_register_file_is_refused_naming_the_file(tmp_path, db):
    path = tmp_path / "deep.json"
    path.write_text(
        '{"format": "mutualwatch-register", "records": ' + "[" * 5000 + "]" * 5000 + "}"
    )
    with pytest.raises(RegisterFileError, match=r"deep.json, file: nests deeper than 64 levels"):
        import_register(path)


INGEST_UNDER_A_MEMORY_CAP = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from django.core.management import execute_from_command_line
execute_from_command_line(["mutualwatch", "migrate", "-v0"])
execute_from_command_line(["mutualwatch", "ingest_ocds", "--workers", "1", sys.argv[1]])
"""


def test_a_deeply_nested_ocds_package_is_rejected_quickly_in_little_memory(tmp_path):
    """180 KB like this took 63 s and 20 GB to reject; here 2 MB is refused by a process
    that may not use more than 1.5 GB of address space."""
    levels = 1_000_000
    path = tmp_path / "deep.json"
    path.write_text('{"version": "1.1", "releases": ' + "[" * levels + "]" * levels + "}")
    result = subprocess.run(
        [sys.executable, "-c", INGEST_UNDER_A_MEMORY_CAP, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={
            "DJANGO_SETTINGS_MODULE": "mutualwatch.settings",
            "MUTUALWATCH_DATA_DIR": str(tmp_path),
            "MUTUALWATCH_OCDS_STANDARD": str(require(OCDS_STANDARD)),
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "deep.json at byte 0: malformed JSON: nests deeper than 64 levels" in result.stderr
