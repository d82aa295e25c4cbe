"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-real-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "atmp.example.org",
}
VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "MAP_TILE_URL",
    "DJANGO_STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest; never in deployment
)


def _env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="platform_site.settings", **overrides)
    return env


def read_settings(*names: str, **env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_means_sqlite_eager_celery_and_local_cache():
    found = read_settings("DATABASES", "CELERY_TASK_ALWAYS_EAGER", "CACHES", "DEBUG", "EMAIL_BACKEND")
    assert found["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert found["DATABASES"]["default"]["NAME"] == str(ROOT / "db.sqlite3")
    assert found["CELERY_TASK_ALWAYS_EAGER"] is True
    assert found["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert found["DEBUG"] is True
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_postgres_url_selects_psycopg_backend():
    found = read_settings("DATABASES", DATABASE_URL="postgres://alice:s3cret@db.internal:5433/atmp")
    db = found["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"], db["PASSWORD"]) == (
        "db.internal",
        5433,
        "atmp",
        "alice",
        "s3cret",
    )
    assert db["CONN_HEALTH_CHECKS"] is True


def test_broker_url_switches_to_real_workers():
    found = read_settings(
        "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//"
    )
    assert found == {"CELERY_TASK_ALWAYS_EAGER": False, "CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}


def test_redis_url_alone_gives_redis_cache_and_broker():
    found = read_settings("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "CACHES", REDIS_URL="redis://cache:6379/2")
    assert found["CELERY_TASK_ALWAYS_EAGER"] is False
    assert found["CELERY_BROKER_URL"] == "redis://cache:6379/2"
    assert found["CACHES"]["default"] == {
        "BACKEND": "platform_site.cache_backends.ResilientRedisCache",
        "LOCATION": "redis://cache:6379/2",
    }


def test_empty_tile_url_leaves_the_map_without_tiles_and_csp_without_tile_host():
    found = read_settings("LEAFLET_CONFIG", "CONTENT_SECURITY_POLICY", MAP_TILE_URL="")
    assert found["LEAFLET_CONFIG"]["TILES"] == []
    assert found["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'", "data:", "blob:"]


@pytest.mark.parametrize(
    "missing, message",
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_under_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_succeeds_under_production_storage(tmp_path):
    """The manifest storage resolves every url() and sourceMappingURL in our static files
    (vendored ones included): one that points nowhere fails the deployment step."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=_env(**PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "staticfiles.json").exists()


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "platform_site" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))
    assert read - listed == set()
    assert listed - read == set()
