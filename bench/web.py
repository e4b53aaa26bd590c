"""Benchmark the public pages: requests/s and p50/p95/p99 latency per page type.

Loads a demo world (national by default: the issue's target) into PostgreSQL, serves the site
with gunicorn on 127.0.0.1, and drives it from a second process with concurrent clients: wrk
(installed by ``scripts/setup --bench``) for a fixed time per page type, or, without wrk,
Python client threads bounded in both request count and time. It only talks to 127.0.0.1.

    uv run python bench/web.py                        # national world, 20 clients
    uv run python bench/web.py --size demo --requests 200
    uv run python bench/web.py --with-ocds            # also ingest the world's OCDS (long)

Visitors' pages are cached whole until the register changes, so each page type is measured
twice, and the output says which is which:

- ``rendered``: the server runs with the page cache off (MUTUALWATCH_CACHE_PUBLIC_PAGES=0), so
  every request runs its view and its queries. The overview's figures and the rendered chart
  SVGs stay cached, as they are once any visitor has seen them since the register last changed.
- ``cached``: the page cache on and filled, as visitors find it between changes.

``cold`` is the slowest first request for any address of the type, with every cache emptied
beforehand: what the first visitor after a change waits (one request each, not a percentile).

Target: p95 under 150 ms for every public page type, rendered as well as cached.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.shared_data import OCDS_STANDARD

REPO = Path(__file__).resolve().parents[1]
PORT = 8765
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mutualwatch_bench"
TARGET_MS = 150
COMPLETE_MARKER = ".complete"  # as `mutualwatch demo` marks a world it finished writing


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


def world_of(env: dict[str, str], size: str, seed: int, data_dir: Path) -> Path:
    """The generated world, made once and reused: a national one takes minutes and gigabytes."""
    world = data_dir / f"world-{size}-seed{seed}"
    if (world / COMPLETE_MARKER).exists():
        return world
    partial = world.with_name(world.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    mutualwatch(env, "generate-world", "--seed", str(seed), "--size", size, "--out", str(partial))
    (partial / COMPLETE_MARKER).touch()
    shutil.rmtree(world, ignore_errors=True)
    partial.rename(world)
    return world


def prepare(env: dict[str, str], world: Path, with_ocds: bool) -> None:
    """Load the world as production would hold it: register, fates, search index (and OCDS)."""
    steps: list[tuple[str, ...]] = [
        ("migrate", "-v0"),
        ("import-register", str(world / "register.json")),
        # The fates are computed by the task worker after the register changes.
        ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"),
    ]
    if with_ocds:
        steps.append(("ingest-ocds", str(world / "ocds")))
    steps.append(("rebuild-search-index",))
    for step in steps:
        started = time.perf_counter()
        mutualwatch(env, *step)
        print(f"  {step[0]}: {time.perf_counter() - started:.0f} s", flush=True)
    analyse(env["DATABASE_URL"])


def analyse(database_url: str) -> None:
    """Refresh PostgreSQL's statistics after the bulk load, as autovacuum would within a
    minute (if it is on: on this benchmark's server it may not be), so that the planner does
    not plan for empty tables."""
    if not database_url.startswith("postgres"):
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def contract_ocids(database_url: str, chooser: random.Random) -> list[str]:
    """Some compiled procurement processes, if any are loaded (PostgreSQL only)."""
    if not database_url.startswith("postgres"):
        return []
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT ocid FROM procurement_procurementprocess WHERE compiled IS NOT NULL "
            "ORDER BY ocid LIMIT 20000"
        ).fetchall()
    ocids = [row[0] for row in rows]
    return chooser.sample(ocids, min(40, len(ocids)))


def page_types(world: Path, ocids: list[str]) -> dict[str, list[str]]:
    """Addresses to request for each public page type, drawn from the world's own records."""
    records = json.loads((world / "register.json").read_text())["records"]
    councils = [r["gss_code"] for r in records if r["record_type"] == "authority"]
    providers = [r["uid"] for r in records if r["record_type"] == "provider"]
    sources = [r["uid"] for r in records if r["record_type"] == "source"]
    services = sorted({r["service_area"] for r in records if r["record_type"] == "arrangement"})
    chooser = random.Random(1)
    pages = {
        "overview": ["/"],
        "councils": ["/authorities/", "/authorities/?nation=fictional", "/authorities/?page=2"],
        "council": [
            f"/authorities/{code}/" for code in chooser.sample(councils, min(40, len(councils)))
        ],
        "providers": [
            "/providers/",
            "/providers/?legal_form=public-service-mutual",
            "/providers/?page=5",
            "/providers/?q=care",
        ],
        "provider": [
            f"/providers/{uid}/" for uid in chooser.sample(providers, min(40, len(providers)))
        ],
        "services": ["/services/"],
        "service": [f"/services/{code}/" for code in services],
        "network": ["/network/"],
        "fates": ["/fates/"],
        "search": ["/search/?q=council", "/search/?q=leisure", "/search/?q=mutual+care"],
        "methods": ["/methods/"],
        "source": [f"/sources/{uid}/" for uid in chooser.sample(sources, min(40, len(sources)))],
    }
    if ocids:
        pages["contract"] = [f"/contracts/{ocid}/" for ocid in ocids]
    return pages


def timed_get(path: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return time.perf_counter() - started, response.status


def drive(paths: list[str], requests: int, clients: int, seconds: float) -> dict[str, float]:
    chosen = [paths[i % len(paths)] for i in range(requests)]
    random.Random(2).shuffle(chosen)
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()

    def bounded(path: str) -> tuple[float, int] | None:
        return timed_get(path) if time.perf_counter() < deadline else None

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [r for r in pool.map(bounded, chosen) if r is not None]
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, _ in results)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(results),
        "errors": sum(status != 200 for _, status in results),
        "rps": len(results) / elapsed,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
    }


WRK_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "errors": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f}\\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def drive_with_wrk(paths: list[str], clients: int, seconds: float) -> dict[str, float]:
    """wrk (C, event loop) as the load generator: it costs the shared cores far less than
    Python client threads, so the figures are more the server's. Connections are kept alive,
    as browsers keep them; each connection cycles through the page type's addresses."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(clients),
                "-d",
                f"{seconds:.0f}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        Path(script.name).unlink()
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures.pop("seconds")
    return figures


def wait_for_server() -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/methods/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def serve(
    env: dict[str, str], workers: int, threads: int, cache_pages: bool
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "mutualwatch.wsgi"]
    command += ["--bind", f"127.0.0.1:{PORT}", "--workers", str(workers)]
    command += ["--threads", str(threads)]
    command += ["--log-level", "warning"]
    server_env = env | {"MUTUALWATCH_CACHE_PUBLIC_PAGES": "1" if cache_pages else "0"}
    return subprocess.Popen(command, cwd=REPO, env=server_env)


def warm_every_worker(paths: list[str], workers: int) -> None:
    """Visit the addresses from as many clients at once as there are workers, twice over,
    so that each worker has loaded the page's code and templates before the measurement: a
    worker's first visit to a page type (altair imported, templates compiled, statements
    prepared) is what "cold ms" reports, not part of the steady p95."""
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(timed_get, [paths[n % len(paths)] for n in range(workers * 4)]))


def measure(
    env: dict[str, str], options: argparse.Namespace, pages: dict[str, list[str]], mode: str
) -> dict[str, dict[str, float]]:
    """Serve the site in one mode and measure every page type, after one visit to each
    address (timed: on a fresh cache, that visit is the cold one) and a few more from
    concurrent clients, so that every worker has served the page type once."""
    server = serve(env, options.workers, options.threads, cache_pages=mode == "cached")
    figures: dict[str, dict[str, float]] = {}
    try:
        wait_for_server()
        for name, paths in pages.items():
            first = [timed_get(path) for path in paths]
            statuses = {status for _, status in first}
            if statuses != {200}:
                raise SystemExit(f"{name}: a first visit answered {sorted(statuses)}")
            warm_every_worker(paths, options.workers)
            if options.driver == "wrk":
                figures[name] = drive_with_wrk(paths, options.clients, options.wrk_seconds)
            else:
                figures[name] = drive(paths, options.requests, options.clients, options.seconds)
            figures[name]["cold"] = max(seconds for seconds, _ in first) * 1000
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def print_table(mode: str, figures: dict[str, dict[str, float]], with_cold: bool) -> float:
    keys = ["requests", "errors", "rps", "p50", "p95", "p99"] + (["cold"] if with_cold else [])
    headings = ["requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "cold ms"]
    print(f"\n{mode}:")
    print(f"{'page type':<10} " + " ".join(f"{h:>8}" for h in headings[: len(keys)]))
    for name, row in figures.items():
        cells = [
            f"{row[k]:>8.0f}" if k in ("requests", "errors") else f"{row[k]:>8.1f}" for k in keys
        ]
        print(f"{name:<10} " + " ".join(cells))
    worst = max(figures.items(), key=lambda item: item[1]["p95"])
    print(f"worst p95: {worst[1]['p95']:.1f} ms ({worst[0]})")
    return worst[1]["p95"]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def python_reference_ms() -> float:
    """A fixed pure-Python workload, best of five, in ms: the same shared virtual machine
    has run it 30% slower from one hour to the next, so figures from different runs are
    compared through it."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(number * number for number in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="national", choices=["tiny", "demo", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per page type and mode")
    parser.add_argument("--seconds", type=float, default=60, help="at most, per page type")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="gunicorn worker processes (default: as gunicorn.conf.py, two per core)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (default: 1)"
    )
    parser.add_argument(
        "--pages", nargs="+", metavar="TYPE", help="only these page types (default: all)"
    )
    parser.add_argument(
        "--modes",
        nargs="+",
        choices=["rendered", "cached"],
        default=["rendered", "cached"],
        help="measure only these modes",
    )
    parser.add_argument(
        "--driver",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (installed by scripts/setup --bench) or Python threads",
    )
    parser.add_argument("--wrk-seconds", type=float, default=10, help="per page type, with wrk")
    parser.add_argument(
        "--with-ocds",
        action="store_true",
        help="also ingest the world's OCDS and measure contract pages (a national world's "
        "million releases take a long time)",
    )
    parser.add_argument(
        "--skip-load", action="store_true", help="use the database as the last run left it"
    )
    options = parser.parse_args()

    data_dir = REPO / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    env: dict[str, Any] = os.environ | {
        "DATABASE_URL": options.database_url,
        "MUTUALWATCH_DATA_DIR": str(data_dir),
        "DJANGO_DEBUG": "0",
    }
    env.setdefault("MUTUALWATCH_OCDS_STANDARD", str(OCDS_STANDARD))
    ensure_database(options.database_url)
    world = world_of(env, options.size, options.seed, data_dir)
    if not options.skip_load:
        print(f"Loading the {options.size} world into {options.database_url}")
        prepare(env, world, options.with_ocds)
    pages = page_types(world, contract_ocids(options.database_url, random.Random(3)))
    if options.pages:
        unknown = set(options.pages) - set(pages)
        if unknown:
            raise SystemExit(f"no such page type: {', '.join(sorted(unknown))}")
        pages = {name: paths for name, paths in pages.items() if name in options.pages}
    # Empty every cache, so that the first visits are cold.
    shutil.rmtree(data_dir / "cache", ignore_errors=True)

    amount = (
        f"{options.wrk_seconds:.0f} s"
        if options.driver == "wrk"
        else f"up to {options.requests} requests"
    )
    print(
        f"\n{options.size} world, {options.clients} clients, {amount} "
        f"per page type and mode, {options.workers} gunicorn workers x {options.threads} threads, "
        f"load from {options.driver}; "
        f"load average before: {load_average()}; "
        f"Python reference workload: {python_reference_ms():.0f} ms"
    )
    worst = 0.0
    if "rendered" in options.modes:
        rendered = measure(env, options, pages, "rendered")
        title = "rendered (page cache off: every request runs its view)"
        worst = print_table(title, rendered, True)
    if "cached" in options.modes:
        cached = measure(env, options, pages, "cached")
        worst = max(worst, print_table("cached (page cache on and filled)", cached, False))
    verdict = "meets" if worst < TARGET_MS else "misses"
    print(f"\nworst p95 overall: {worst:.1f} ms ({verdict} the {TARGET_MS} ms target)")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
