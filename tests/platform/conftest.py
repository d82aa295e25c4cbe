"""Fixtures of the platform tests: a Celery app pointed at another broker."""

from __future__ import annotations

import os
import socket

import pytest

from platform_site.celery import app


def closed_port_url() -> str:
    """A Redis URL on a port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def use_broker(url: str) -> None:
    """Point the Celery app at another broker, dropping connections pooled for the previous one.

    Celery prefers the CELERY_BROKER_URL environment variable (set by `make test-services`) over its
    configuration, and a configured broker also fills broker_read_url/broker_write_url, which win over
    broker_url: all of them change."""
    os.environ["CELERY_BROKER_URL"] = url or ""
    app.conf.update(broker_url=url, broker_read_url=url, broker_write_url=url)
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker():
    previous = app.conf.broker_url, app.conf.task_always_eager, os.environ.get("CELERY_BROKER_URL")
    yield use_broker
    use_broker(previous[0])
    app.conf.task_always_eager = previous[1]
    if previous[2] is None:
        del os.environ["CELERY_BROKER_URL"]
    else:
        os.environ["CELERY_BROKER_URL"] = previous[2]


def database_url_for_workers() -> str:
    """The test database as a URL another process (a Celery worker) can open."""
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return url.replace("@", f":{db['PASSWORD']}@", 1) if db.get("PASSWORD") else url


@pytest.fixture
def worker_factory(tmp_path):
    """Start real `celery worker` processes (solo pool) on one private queue; kill them at the end.

    Needs a broker and PostgreSQL (make test-services); the test must be django_db(transaction=True)."""
    import os
    import subprocess
    import sys
    import time
    import uuid

    from django.conf import settings
    from django.db import connection

    if settings.CELERY_TASK_ALWAYS_EAGER or connection.vendor != "postgresql":
        pytest.skip(reason="needs a broker and PostgreSQL: run `make test-services`")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    started = []

    def start(**extra_env):
        hostname = f"{queue}-{len(started)}@localhost"
        log = tmp_path / f"worker-{len(started)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_workers(),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **extra_env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "platform_site", "worker", "--pool=solo", "-Q", queue,
             "-n", hostname, "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[hostname], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not start; see {log}")
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)
    app.conf.task_default_queue = previous_queue
