"""Benchmark the public pages: requests/s and p50/p95/p99 latency per page type.

Loads a demo world (national by default: the issue's target) into PostgreSQL, serves the site
with gunicorn on 127.0.0.1, and drives it from a second process with concurrent clients.
Bounded in both request count and time; it only ever talks to 127.0.0.1.

    uv run python bench/web.py                        # national world, 20 clients
    uv run python bench/web.py --size demo --requests 200

Target: p95 under 150 ms for every public page type.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PORT = 8765
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mutualwatch_bench"


def mutualwatch(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "mutualwatch", *args], cwd=REPO, env=env, check=True)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database the benchmark loads into, if it is not there yet."""
    if not url.startswith("postgres"):
        return
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str], size: str, seed: int, data_dir: Path) -> Path:
    world = data_dir / f"world-{size}-seed{seed}"
    if not (world / "register.json").exists():
        mutualwatch(env, "generate-world", "--seed", str(seed), "--size", size, "--out", str(world))
    mutualwatch(env, "migrate", "-v0")
    mutualwatch(env, "import-register", str(world / "register.json"))
    mutualwatch(env, "rebuild-search-index")
    return world


def page_types(world: Path) -> dict[str, list[str]]:
    """Addresses to request for each page type, drawn from the world's own records."""
    records = json.loads((world / "register.json").read_text())["records"]
    councils = [r["gss_code"] for r in records if r["record_type"] == "authority"]
    providers = [r["uid"] for r in records if r["record_type"] == "provider"]
    sources = [r["uid"] for r in records if r["record_type"] == "source"]
    services = sorted({r["service_area"] for r in records if r["record_type"] == "arrangement"})
    chooser = random.Random(1)
    return {
        "overview": ["/"],
        "councils": ["/authorities/", "/authorities/?nation=fictional"],
        "council": [
            f"/authorities/{code}/" for code in chooser.sample(councils, min(40, len(councils)))
        ],
        "providers": ["/providers/", "/providers/?legal_form=public-service-mutual"],
        "provider": [
            f"/providers/{uid}/" for uid in chooser.sample(providers, min(40, len(providers)))
        ],
        "services": ["/services/"],
        "service": [f"/services/{code}/" for code in services],
        "network": ["/network/"],
        "search": ["/search/?q=council", "/search/?q=leisure", "/search/?q=mutual+care"],
        "methods": ["/methods/"],
        "source": [f"/sources/{uid}/" for uid in chooser.sample(sources, min(40, len(sources)))],
    }


def timed_get(path: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return time.perf_counter() - started, response.status


def drive(paths: list[str], requests: int, clients: int, deadline: float) -> dict[str, float]:
    # Warm up: render and cache each page's charts once, as a visitor before us would have.
    for path in paths:
        timed_get(path)
    chosen = [paths[i % len(paths)] for i in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [r for r in pool.map(timed_get, chosen) if time.perf_counter() < deadline]
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, _ in results)
    errors = sum(status != 200 for _, status in results)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(results),
        "errors": errors,
        "rps": len(results) / elapsed,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
    }


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/methods/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="national", choices=["tiny", "demo", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per page type")
    parser.add_argument("--seconds", type=float, default=120, help="at most, per page type")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    options = parser.parse_args()

    data_dir = REPO / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "DATABASE_URL": options.database_url,
        "MUTUALWATCH_DATA_DIR": str(data_dir),
        "DJANGO_DEBUG": "0",
    }
    ensure_database(options.database_url)
    world = prepare(env, options.size, options.seed, data_dir)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mutualwatch.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(options.workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    try:
        wait_for_server()
        print(f"{options.size} world, {options.clients} clients, {options.requests} per page type")
        columns = ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")
        print(f"{'page type':<10} " + " ".join(f"{column:>8}" for column in columns))
        worst = 0.0
        for name, paths in page_types(world).items():
            figures = drive(
                paths, options.requests, options.clients, time.perf_counter() + options.seconds
            )
            worst = max(worst, figures["p95"])
            numbers = [f"{figures[key]:>8.0f}" for key in ("requests", "errors")]
            numbers += [f"{figures[key]:>8.1f}" for key in ("rps", "p50", "p95", "p99")]
            print(f"{name:<10} " + " ".join(numbers))
        verdict = "meets" if worst < 150 else "misses"
        print(f"worst p95: {worst:.1f} ms ({verdict} the 150 ms target)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
