"""`mutualwatch demo`: the fictional demo world, loaded and served on this machine."""

import io
import shutil
import socket
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutualwatch.demoworld.accounts import accounts_file, make_demo_accounts
from mutualwatch.demoworld.exceptions import DemoWorldError
from mutualwatch.demoworld.loading import load_world
from mutualwatch.demoworld.parameters import SIZES

COMPLETE_MARKER = ".complete"
HOST = "127.0.0.1"


class Command(BaseCommand):
    help = (
        "Generate the fictional demo world (once; it is cached), load it into its own SQLite "
        "database, make an account for each role and serve the site on 127.0.0.1, every page "
        "marked as demo data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="World seed (default 1).")
        parser.add_argument("--size", choices=list(SIZES), default="demo", help="Default demo.")
        parser.add_argument(
            "--port", type=int, default=8000, help="The port to serve on (default 8000)."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the world, then stop without serving."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # `mutualwatch demo` switches to demo mode before the settings are read (cli.py).
            raise CommandError("The demo runs in demo mode only: start it with `mutualwatch demo`.")
        port: int = options["port"]
        serve = not options["no_serve"]
        if serve and port_in_use(port):
            raise CommandError(
                f"Port {port} is already in use on {HOST} (another demo or server?): stop it, "
                f"or serve on another port with --port, e.g. `mutualwatch demo --port {port + 1}`."
            )
        world = self._world(options["seed"], options["size"])
        try:
            load_world(world, self.stdout.write)
            accounts = make_demo_accounts()
        except DemoWorldError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"\nDemo accounts (new passwords each time the demo starts; also in {accounts_file()}):"
        )
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<16} password {account.password}   {account.describe()}"
            )
        if not serve:
            return
        self.stdout.write(
            self.style.SUCCESS(f"\nServing the demo on http://{HOST}:{port}/ (Ctrl-C stops it).")
        )
        # The line above says where; runserver's own banner (checks, version, a warning for
        # production) is left out. Its errors and each request's log line still show.
        call_command(
            "runserver",
            f"{HOST}:{port}",
            use_reloader=False,
            skip_checks=True,
            stdout=io.StringIO(),
        )

    def _world(self, seed: int, size: str) -> Path:
        world = Path(settings.DATA_DIR) / f"world-{size}-seed{seed}"
        if (world / COMPLETE_MARKER).exists():
            self.stdout.write(f"Using the demo world already generated in {world}.")
            return world
        self.stdout.write(f"Generating the {size} demo world (seed {seed}) in {world}.")
        # Generated beside its final place and moved there whole: a world cut short by Ctrl-C
        # is never taken for a finished one. Its progress shows on standard error; its table
        # of counts (which names the unfinished folder) is left out, the loading says them.
        unfinished = world.with_name(world.name + ".partial")
        shutil.rmtree(unfinished, ignore_errors=True)
        call_command("generate_world", seed=seed, size=size, out=unfinished, stdout=io.StringIO())
        (unfinished / COMPLETE_MARKER).touch()
        shutil.rmtree(world, ignore_errors=True)
        unfinished.rename(world)
        return world


def port_in_use(port: int) -> bool:
    """Whether the demo server could not listen on ``port`` (bound as the server binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False
