"""Benchmark `mutualwatch generate-world`: wall time and peak memory for each size.

    uv run python bench/generate_world.py               # tiny and demo
    uv run python bench/generate_world.py --national    # and national (long: minutes, GBs)

Each size runs in its own child process, which in turn runs the command, so the peak resident
memory reported (ru_maxrss of that process's children) belongs to that size alone. The target
is national under 1 GiB on a 2-core machine.
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GIB = 1024**3


def measure(size: str, seed: int, out: Path) -> dict[str, Any]:
    """Run the command once (in this process's child) and report what it cost."""
    command = [sys.executable, "-m", "mutualwatch", "generate-world", "--seed", str(seed)]
    command += ["--size", size, "--out", str(out)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    files = [path for path in out.rglob("*") if path.is_file()]
    return {
        "size": size,
        "seconds": round(elapsed, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "files": len(files),
        "bytes_on_disk": sum(path.stat().st_size for path in files),
        "summary": result.stdout,
    }


def run_size(size: str, seed: int, keep: Path | None) -> dict[str, Any]:
    """Measure one size in a fresh child, so earlier sizes do not inflate its peak."""
    out = keep / size if keep else Path(tempfile.mkdtemp(prefix=f"world-{size}-"))
    try:
        child = [
            sys.executable,
            __file__,
            "--measure",
            size,
            "--seed",
            str(seed),
            "--out",
            str(out),
        ]
        result = subprocess.run(child, capture_output=True, text=True, check=True)
        return json.loads(result.stdout)
    finally:
        if keep is None:
            shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", action="store_true", help="Also run the national size.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Keep the worlds in this directory.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(arguments.measure, arguments.seed, arguments.out)))
        return
    sizes = ["tiny", "demo", *(["national"] if arguments.national else [])]
    print(f"{'size':<10}{'seconds':>10}{'peak MiB':>10}{'files':>8}{'disk MB':>10}")
    for size in sizes:
        figures = run_size(size, arguments.seed, arguments.keep)
        print(
            f"{size:<10}{figures['seconds']:>10}{figures['peak_rss_mib']:>10}"
            f"{figures['files']:>8}{int(figures['bytes_on_disk']) / 1e6:>10.0f}",
            flush=True,
        )
        if size == "national" and float(figures["peak_rss_mib"]) * 1024**2 >= GIB:
            print("national peak memory is over the 1 GiB target", file=sys.stderr)
        print(figures["summary"])


if __name__ == "__main__":
    main()
