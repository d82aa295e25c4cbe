"""The cast every test can ask for, and small builders.

Roles: anonymous, pending (registered, not approved), expert, owner (an expert
who owns the record under test), curator, admin. `client_for(role)` returns a
logged-in test client for any of them.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import Client

from platform_site.roles import CURATOR_GROUP, EXPERT_GROUP

ROLES = ("anonymous", "pending", "expert", "owner", "curator", "admin")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker_test(request):
    """Tasks run in-process in every test but the `worker`-marked ones.

    Under `make test-services` a broker is configured; a test that is not about
    the worker must not leave its tasks queued with nobody to run them.
    """
    from platform_site.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache():
    # Axes counts failures in the database; cached pages and ETags live in the cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(email: str, *, role: str = "pending", password: str = "correct-horse-battery", **extra):
    """A verified account with the given role."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.create_user(
        email=email,
        password=password,
        is_staff=role in ("curator", "admin"),
        is_superuser=role == "admin",
        **extra,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role in ("expert", "owner", "curator"):
        user.groups.add(Group.objects.get(name=EXPERT_GROUP))
        from django.utils import timezone

        user.profile.approved_at = timezone.now()
        user.profile.save()
    if role == "curator":
        user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    return user


@pytest.fixture
def pending_user(db):
    return make_user("pending@example.org", role="pending")


@pytest.fixture
def expert(db):
    return make_user("expert@example.org", role="expert")


@pytest.fixture
def owner(db):
    """An expert who owns the record under test (the test links them)."""
    return make_user("owner@example.org", role="owner")


@pytest.fixture
def curator(db):
    return make_user("curator@example.org", role="curator")


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.org", role="admin")


@pytest.fixture
def cast(pending_user, expert, owner, curator, admin_user) -> dict:
    return {
        "anonymous": None,
        "pending": pending_user,
        "expert": expert,
        "owner": owner,
        "curator": curator,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(cast):
    """client_for("curator") -> a Client logged in as the cast's curator."""

    def _client(role: str) -> Client:
        client = Client()
        user = cast[role]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _client


# --- A real Celery worker process (make test-services) ----------------------------
@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """Start `celery worker` as a separate process on the test database; stop it after.

    Needs a real broker (CELERY_BROKER_URL) and a database another process can
    open (PostgreSQL): `make test-services` provides both. Tests that use it
    must be `django_db(transaction=True)` so the worker sees committed rows.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid

    from django.conf import settings
    from django.db import connection

    from platform_site.celery import app as celery_app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip(reason="needs a broker: set CELERY_BROKER_URL, or run `make test-services`")
    if connection.vendor != "postgresql":
        pytest.skip(reason="a worker process cannot share SQLite's in-memory test database: run `make test-services`")

    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        database_url = database_url.replace("@", f":{db['PASSWORD']}@", 1)
    run_id = uuid.uuid4().hex[:8]
    queue = f"test-{run_id}"
    hostname = f"test-worker-{run_id}@localhost"
    # A queue of its own, so parallel runs on one broker never take each other's tasks.
    celery_app.conf.task_default_queue = queue
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_TASK_DEFAULT_QUEUE": queue}
    log = open(f"/tmp/celery-worker-{run_id}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "platform_site", "worker", "--pool=solo", "-Q", queue,
         "-n", hostname, "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[hostname], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(f"Celery worker did not start; see {log.name}")
        yield {"hostname": hostname, "queue": queue, "process": process, "log": log.name}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        celery_app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
