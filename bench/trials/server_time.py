"""Server time of the trial and product lists as production serves them, against their own SQL.

The pytest benchmarks (bench_pages_sql_floor.py) call the views through Django's test
client inside pytest, which measured 15-30 ms slower per page than the same requests in a
plain Django process. This script measures what a visitor waits for: gunicorn (one sync
worker, DJANGO_DEBUG=0, static files collected) on PostgreSQL with 100,000 generated trials,
timed over HTTP from this process; the floor is each page's own SQL replayed in this
process, as in bench_pages_sql_floor.py. Page and floor are timed in alternating blocks
of ten and the ratio is the median of the block pairs' ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_bench_server \
    .venv/bin/python bench/trials/server_time.py [--rounds 60]

The database must exist; the script migrates it and generates the fictional catalogue once
(about 2 minutes), then leaves it there for the next run. Figures: docs/benchmarks.md.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings")

BLOCK = 10  # runs of the page, then of its SQL, in turn

SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> float:
    """Seconds until the whole response is read."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")
    return time.perf_counter() - started


def _serve(port: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "platform_site.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            _get(port, "/healthz")
            return server
        except (ConnectionError, OSError, SystemExit):
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: see the docstring.")
    call_command("migrate", verbosity=0)
    from bench.trials.bench_pages_sql_floor import PAGES, _captured_sql, _replay
    from bench.trials.generate import generate
    from trials.models import Trial

    if Trial.objects.count() < 100_000:
        print("generating 100,000 fictional trials (once)...", flush=True)
        generate()
    port = _free_port()
    server = _serve(port)
    try:
        print(f"{'page':55} {'server median (min)':>22} {'its SQL median':>16} {'ratio':>6}")
        for path in PAGES.values():
            statements = _captured_sql(path)
            for _ in range(3):
                _get(port, path)
                _replay(statements)
            # Page and floor in alternating blocks of BLOCK runs, the ratio taken block pair by
            # block pair: the machine's speed drifts by tens of percent over a run, and pairing
            # cancels most of it, while within a block each runs warm, as it would alone.
            served, sql, ratios = [], [], []
            for _ in range(max(1, args.rounds // BLOCK)):
                pages = [_get(port, path) for _ in range(BLOCK)]
                floors = []
                for _ in range(BLOCK):
                    started = time.perf_counter()
                    _replay(statements)
                    floors.append(time.perf_counter() - started)
                served += pages
                sql += floors
                ratios.append(statistics.median(pages) / statistics.median(floors))
            ratio = statistics.median(ratios)
            page_ms, sql_ms = statistics.median(served) * 1000, statistics.median(sql) * 1000
            timing = f"{page_ms:.1f} ({min(served) * 1000:.1f}) ms"
            print(f"{path:55} {timing:>22} {sql_ms:>13.1f} ms {ratio:>5.1f}x", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
