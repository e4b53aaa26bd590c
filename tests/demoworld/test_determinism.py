"""Same seed and size, same bytes; another seed, another world."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from mutualwatch.demoworld.parameters import world_parameters
from mutualwatch.demoworld.world import generate_world
from tests.demoworld.conftest import TINY_SEED


def fingerprints(out: Path) -> dict[str, str]:
    return {
        str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_two_runs_with_the_same_seed_write_the_same_bytes(tiny_world: Path, tmp_path: Path):
    again = tmp_path / "again"
    generate_world(world_parameters(TINY_SEED, "tiny"), again)
    first, second = fingerprints(tiny_world), fingerprints(again)
    assert len(first) > 50
    assert first == second


def test_regenerating_over_a_previous_world_gives_the_same_bytes(tmp_path: Path):
    parameters = world_parameters(TINY_SEED, "tiny")
    generate_world(parameters, tmp_path)
    first = fingerprints(tmp_path)
    generate_world(parameters, tmp_path)
    assert fingerprints(tmp_path) == first


def test_another_seed_gives_another_world(tiny_world: Path, tmp_path: Path):
    generate_world(world_parameters(TINY_SEED + 1, "tiny"), tmp_path)
    assert (tmp_path / "register.json").read_bytes() != (tiny_world / "register.json").read_bytes()


def test_another_process_with_another_string_hash_seed_writes_the_same_bytes(
    tiny_world: Path, tmp_path: Path
):
    """Set and dict order of strings changes with PYTHONHASHSEED; the world must not."""
    script = (
        "import sys; from pathlib import Path;"
        "from mutualwatch.demoworld.parameters import world_parameters;"
        "from mutualwatch.demoworld.world import generate_world;"
        f"generate_world(world_parameters({TINY_SEED}, 'tiny'), Path(sys.argv[1]))"
    )
    environment = os.environ | {"PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=environment)
    assert fingerprints(tmp_path) == fingerprints(tiny_world)
