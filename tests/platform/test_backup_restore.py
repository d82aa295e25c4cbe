"""Backups as docs/operations.md describes them: pg_dump, then a restore into a fresh database
that the portal can serve from (make test-services; PostgreSQL only)."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from platform_site.demo import load_demo_content


def pg_args(db: dict) -> list[str]:
    return ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_a_fresh_database(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip(reason="needs PostgreSQL and its client tools: run `make test-services`")
    load_demo_content()
    db = connection.settings_dict
    env = {"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    dump = tmp_path / "atmp.dump"
    subprocess.run(["pg_dump", *pg_args(db), "-Fc", "-f", str(dump), db["NAME"]], env=env, check=True)
    fresh = f"{db['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    subprocess.run(["createdb", *pg_args(db), fresh], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", *pg_args(db), "--no-owner", "--exit-on-error", "-d", fresh, str(dump)], env=env, check=True
        )
        counts = {}
        tables = ["trials_product", "trials_trial", "facilities_facility", "experts_user", "django_migrations"]
        for table in tables:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
                original = cursor.fetchone()[0]
            restored = subprocess.run(
                ["psql", *pg_args(db), "-tAc", f"SELECT COUNT(*) FROM {table}", fresh],  # noqa: S608
                env=env, check=True, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            assert int(restored) == original, table
            counts[table] = original
        assert counts["trials_product"] > 0 and counts["experts_user"] > 0
    finally:
        subprocess.run(["dropdb", *pg_args(db), "--if-exists", fresh], env=env, check=True)
