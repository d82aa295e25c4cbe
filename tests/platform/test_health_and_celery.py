import pytest
from django.conf import settings
from django_celery_results.models import TaskResult

from platform_site.tasks import ping


@pytest.mark.django_db
def test_healthz_reports_each_part_in_eager_mode(client):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip(reason="this case is about the embedded default (no broker); the worker case covers brokers")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "eager", "detail": "no broker configured; tasks run in-process"}
    assert body["worker"]["mode"] == "eager"
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from platform_site import health

    def broken_cursor():
        raise OSError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {
        "ok": False,
        "vendor": health.connection.vendor,
        "error": "connection refused",
    }


@pytest.mark.django_db
def test_healthz_says_when_the_broker_is_down(client, broker):
    broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    body = client.get("/healthz").json()
    assert body["broker"]["ok"] is False and body["broker"]["error"]
    assert body["worker"] == {"ok": False, "workers": 0, "error": "broker unreachable"}
    assert body["status"] == "degraded"


@pytest.mark.django_db
def test_task_round_trip_in_eager_mode_stores_its_result():
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip(reason="eager mode only; the worker test covers a real worker")
    result = ping.delay("hello")
    assert result.get(timeout=5) == {"payload": "hello", "database": "sqlite"}
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "platform_site.ping"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_a_real_worker_process(celery_worker_process, client):
    result = ping.delay("through-the-broker")
    assert result.get(timeout=30) == {"payload": "through-the-broker", "database": "postgresql"}
    # The worker wrote its result to the database: it survives restarts.
    assert TaskResult.objects.get(task_id=result.id).status == "SUCCESS"
    health = client.get("/healthz").json()
    assert health["broker"] == {"ok": True, "mode": "broker"}
    assert health["worker"]["ok"] is True and health["worker"]["workers"] >= 1
