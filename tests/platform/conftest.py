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


@pytest.fixture
def worker_factory(tmp_path):
    """Start real `celery worker` processes on one private queue (tests/workers.py); stopped at the end.

    Needs a broker and PostgreSQL (make test-services); the test must be django_db(transaction=True)."""
    import uuid
    from contextlib import ExitStack

    from tests.workers import celery_worker, skip_unless_worker_services

    skip_unless_worker_services()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    started = []
    with ExitStack() as workers:

        def start(**extra_env):
            n = len(started)
            started.append(n)
            return workers.enter_context(
                celery_worker(
                    queue=queue,
                    hostname=f"{queue}-{n}@localhost",
                    log_path=tmp_path / f"worker-{n}.log",
                    extra_env=extra_env,
                )
            )

        yield start
    app.conf.task_default_queue = previous_queue
