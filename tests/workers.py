"""Real `celery worker` processes for the tests that need one (make test-services).

A worker is a separate process on the test database, so it needs a real broker and
a database another process can open (PostgreSQL). Each runs on a queue of its own,
so parallel runs on one broker never take each other's tasks. Tests that use one must
be `django_db(transaction=True)` so the worker sees committed rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


def skip_unless_worker_services() -> None:
    """Skip, saying why, where no worker can run: eager Celery or SQLite."""
    from django.conf import settings
    from django.db import connection

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip(reason="needs a broker: set CELERY_BROKER_URL, or run `make test-services`")
    if connection.vendor != "postgresql":
        pytest.skip(reason="a worker process cannot share SQLite's in-memory test database: run `make test-services`")


def database_url_for_workers() -> str:
    """The test database as a URL another process (a Celery worker) can open."""
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return url.replace("@", f":{db['PASSWORD']}@", 1) if db.get("PASSWORD") else url


@contextmanager
def celery_worker(*, queue: str, hostname: str, log_path: Path, extra_env: dict | None = None):
    """Start a solo-pool worker on `queue`, wait until it answers a ping, stop it on exit."""
    from platform_site.celery import app

    env = {**os.environ, "DATABASE_URL": database_url_for_workers(), "CELERY_TASK_DEFAULT_QUEUE": queue}
    env.update(extra_env or {})
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "platform_site", "worker", "--pool=solo", "-Q", queue,
             "-n", hostname, "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not app.control.ping(destination=[hostname], timeout=1.0):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(f"Celery worker did not start; see {log_path}")
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=20)
