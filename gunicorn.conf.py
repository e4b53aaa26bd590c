"""How gunicorn serves mutualwatch: ``uv run gunicorn mutualwatch.wsgi`` from this directory
(gunicorn reads this file from the working directory). Every setting can still be given on
the command line, which wins.

Single-threaded workers, two per core: measured with ``bench/web.py`` on the national world
(20 clients, 2 cores), four such workers served as many requests a second as two workers of
four threads, with a p95 latency up to a third lower, because threads of one worker queue for
its interpreter lock. Sync workers keep no connection alive, so run them behind a reverse
proxy (nginx, Caddy) that does, as gunicorn's own guidance says.
"""

import multiprocessing
import os

bind = os.environ.get("MUTUALWATCH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = 1
timeout = 60
