"""Probes behind GET /healthz: database, cache, broker, worker."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any driver error means "down"; say which
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}


def check_cache() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        cache.set(key, "ok", 5)
        ok = cache.get(key) == "ok"
        cache.delete(key)
        return {"ok": ok, "backend": backend}
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": str(exc)[:200]}


def check_broker() -> dict:
    # The Celery app's configuration (from settings), which is what sending a task uses.
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "eager", "detail": "no broker configured; tasks run in-process"}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "broker"}
    except Exception as exc:
        return {"ok": False, "mode": "broker", "error": str(exc)[:200]}


JOB_QUEUE_CACHE_SECONDS = 15


def job_queue() -> dict:
    """{"down": bool} for pages that start jobs: the broker check, remembered for a few seconds."""
    if celery_app.conf.task_always_eager:
        return {"down": False}
    state = cache.get("healthz:job-queue")
    if state is None:
        state = {"down": not check_broker()["ok"]}
        cache.set("healthz:job-queue", state, JOB_QUEUE_CACHE_SECONDS)
    return state


def check_worker(broker_ok: bool) -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "eager", "workers": 0, "detail": "eager mode: no worker needed"}
    if not broker_ok:
        return {"ok": False, "workers": 0, "error": "broker unreachable"}
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception as exc:
        return {"ok": False, "workers": 0, "error": str(exc)[:200]}
    return {"ok": bool(replies), "workers": len(replies)}


def health_report() -> tuple[dict, bool]:
    """The report and whether the site can serve (the database answers)."""
    database = check_database()
    broker = check_broker()
    report = {
        "database": database,
        "cache": check_cache(),
        "broker": broker,
        "worker": check_worker(broker["ok"]),
    }
    report["status"] = "ok" if all(part["ok"] for part in report.values()) else "degraded"
    return report, database["ok"]
