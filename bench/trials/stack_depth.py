"""The same list request timed at different Python call depths (CPython 3.11 stack chunks).

Inside pytest-benchmark the list pages measured 10-15 ms slower than the same requests
served by gunicorn, whatever the data size. The cause is CPython's frame stack: it is
made of chunks, and a hot loop that keeps calling across a chunk boundary allocates and
frees a chunk on every call (python/cpython#142183, fixed in 3.13+ by caching one chunk;
3.11 keeps the cost). Where that boundary falls depends on how deep the caller is, so
the same request costs more or less by the depth it is called from alone. This script
shows it: one request, one process, called from depth 0, 2, 4 ... extra frames.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_bench_server \\
    .venv/bin/python bench/trials/stack_depth.py [--path /trials/] [--max-depth 48]

Uses the catalogue server_time.py generated (it does not generate one). Figures:
docs/benchmarks.md, "Trials".
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789abcdef")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")


def _median_ms(client, path: str, rounds: int) -> float:
    for _ in range(3):
        client.get(path)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _at_depth(extra: int, call):
    return call() if extra == 0 else _at_depth(extra - 1, call)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/trials/")
    parser.add_argument("--max-depth", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    client = Client()
    print(f"{sys.version.split()[0]}  {args.path}\nextra frames  median ms")
    for extra in range(0, args.max_depth + 1, 2):
        median = _at_depth(extra, lambda: _median_ms(client, args.path, args.rounds))
        print(f"{extra:12d}  {median:9.1f}", flush=True)


if __name__ == "__main__":
    main()
