"""`mutualwatch demo`, the README's first command, end to end on the tiny world: with the OCDS
standard the package ships (no shared data), no stray database, an account for each role that
logs in through a real browser, and a clear message when its port is taken."""

import contextlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_support import CHROMIUM, assert_accessible

REPO = Path(__file__).resolve().parents[2]
ACCOUNT_LINE = re.compile(r"^  (demo-\S+) +password (\S+) +(.+)$", re.MULTILINE)


def demo_environment(data_dir: Path) -> dict[str, str]:
    """A machine with none of this project's configuration: no database URL, no standard."""
    env = os.environ | {"MUTUALWATCH_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "MUTUALWATCH_DEMO", "MUTUALWATCH_OCDS_STANDARD"):
        env.pop(name, None)
    return env


def demo_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mutualwatch", "demo", "--size", "tiny", *args]


def run_demo(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        demo_command(*args),
        cwd=REPO,
        env=demo_environment(data_dir),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_port_in_use_is_named_with_the_option_to_choose_another(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_demo(tmp_path, "--port", str(port))
    assert result.returncode == 1
    assert f"Port {port} is already in use on 127.0.0.1" in result.stderr
    assert f"with --port, e.g. `mutualwatch demo --port {port + 1}`" in result.stderr
    assert "Traceback" not in result.stderr
    # It said so before generating or loading anything.
    assert not list(tmp_path.rglob("world-*"))
    assert not list(tmp_path.rglob("*.sqlite3"))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_demo_loads_the_world_and_its_accounts_log_in(tmp_path, browser):
    first = run_demo(tmp_path, "--no-serve")
    assert first.returncode == 0, first.stderr[-2000:]
    assert ".partial" not in first.stdout
    assert "not observed in dataset" not in first.stderr  # the linker's notes for its tuners
    assert "Procurement notices: 857 releases loaded." in first.stdout
    assert "Company registers: 2,000 companies" in first.stdout
    # One count per thing: the decisions add up to the suppliers and providers linked.
    linked = re.search(
        r"Linked to the company and society registers: ([\d,]+) suppliers and ([\d,]+) "
        r"register providers \((.*)\)\.",
        first.stdout,
    )
    assert linked is not None, first.stdout
    decided = sum(int(n.replace(",", "")) for n in re.findall(r": ([\d,]+)", linked.group(3)))
    assert decided == sum(int(linked.group(i).replace(",", "")) for i in (1, 2))
    # Nothing but the demo's own folder: no empty database beside it.
    assert [path.name for path in tmp_path.iterdir()] == ["demo"]
    database = tmp_path / "demo" / "mutualwatch.sqlite3"
    with sqlite3.connect(database) as connection:
        authorities = connection.execute("SELECT COUNT(*) FROM register_authority").fetchone()[0]
        published = connection.execute(
            "SELECT COUNT(*) FROM register_arrangement WHERE state = 'published'"
        ).fetchone()[0]
        indexed = connection.execute("SELECT COUNT(*) FROM publishing_searchdocument").fetchone()[0]
        analyses = connection.execute("SELECT COUNT(*) FROM analysis_fatesresult").fetchone()[0]
        contracts = connection.execute("SELECT COUNT(*) FROM procurement_contract").fetchone()[0]
    assert authorities == 5
    assert published > 0
    assert indexed >= authorities
    assert analyses == 1
    assert contracts > 0

    with serving_demo(tmp_path) as (site, said):
        assert "Using the demo world already generated" in said
        assert "Register: 0 records loaded or updated." in said
        accounts = {name: (password, role) for name, password, role in ACCOUNT_LINE.findall(said)}
        assert sorted(accounts) == ["demo-admin", "demo-member", "demo-officer", "demo-researcher"]
        context = browser.new_context()
        page = context.new_page()
        for username in ("demo-member", "demo-officer", "demo-researcher"):
            page.goto(f"{site}/accounts/login/")
            expect(page.get_by_role("heading", name="Demo accounts")).to_be_visible()
            assert_accessible(page)
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(accounts[username][0])
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("link", name="Workspace").click()
            expect(page).to_have_url(f"{site}/workspace/")
            if username != "demo-researcher":
                expect(page.get_by_text("Aldrystow Council branch").first).to_be_visible()
            page.get_by_role("button", name=f"Log out {username}").click()
        page.goto(f"{site}/admin/")
        page.get_by_label("Username").fill("demo-admin")
        page.get_by_label("Password").fill(accounts["demo-admin"][0])
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
        context.close()


@contextlib.contextmanager
def serving_demo(data_dir: Path) -> Iterator[tuple[str, str]]:
    """`mutualwatch demo` serving the tiny world from ``data_dir`` on a free port, as a
    newcomer starts it: the site's address, and what the demo printed before serving."""
    port = free_port()
    server = subprocess.Popen(
        demo_command("--port", str(port)),
        cwd=REPO,
        env=demo_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        said = read_until_serving(server)
        site = f"http://127.0.0.1:{port}"
        wait_for(f"{site}/accounts/login/")
        yield site, said
    finally:
        server.terminate()
        server.wait(timeout=30)
        assert server.stdout is not None
        server.stdout.close()


def read_until_serving(server: subprocess.Popen[str]) -> str:
    """What the demo printed up to the line that says it serves."""
    assert server.stdout is not None
    lines = []
    for line in server.stdout:
        lines.append(line)
        if line.startswith("Serving the demo on"):
            return "".join(lines)
    raise AssertionError("the demo stopped before serving:\n" + "".join(lines))


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own test server)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
