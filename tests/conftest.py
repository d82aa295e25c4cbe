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
    """One `celery worker` process on the test database for the whole session (tests/workers.py)."""
    import uuid

    from django.conf import settings

    from platform_site.celery import app as celery_app
    from tests.workers import celery_worker, skip_unless_worker_services

    skip_unless_worker_services()
    run_id = uuid.uuid4().hex[:8]
    queue, hostname, log = f"test-{run_id}", f"test-worker-{run_id}@localhost", f"/tmp/celery-worker-{run_id}.log"
    celery_app.conf.task_default_queue = queue
    try:
        with celery_worker(queue=queue, hostname=hostname, log_path=log) as process:
            yield {"hostname": hostname, "queue": queue, "process": process, "log": log}
    finally:
        celery_app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
