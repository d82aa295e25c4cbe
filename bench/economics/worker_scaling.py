"""Wall time of a chunked 1,000,000-simulation Monte Carlo job on 1 and then 2 Celery workers.

Needs PostgreSQL and Redis (the same services as `make test-services`). It creates its
own database tables (migrate), starts the workers itself (solo pool, one process each,
on a queue of its own), runs the job, stops them and prints the figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_economics \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/7 REDIS_URL=redis://127.0.0.1:6379/7 \
    .venv/bin/python bench/economics/worker_scaling.py [--n 1000000]
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings")
QUEUE = f"bench-economics-{uuid.uuid4().hex[:6]}"
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.CELERY_TASK_ALWAYS_EAGER or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis): see the docstring.")
    call_command("migrate", verbosity=0)
    from economics import services
    from economics.engine.defaults import default_inputs
    from economics.models import JobKind, SimulationJob
    from experts.models import User

    user, _ = User.objects.get_or_create(email="bench-economics@example.invalid")
    inputs, _ = default_inputs("car_t", "oncology", "preclinical")
    inputs["horizon_years"] = 20
    inputs["phases"][3]["duration_years"] = 2.0
    uncertainty = {"market.price_per_treatment_eur": {"kind": "pert", "low": 250000, "mode": 350000, "high": 450000}}
    evaluation = services.evaluation_save(owner=user, name="bench", inputs=inputs, uncertainty=uncertainty)
    for count in [int(c) for c in args.workers.split(",")]:
        workers = [_start_worker(i) for i in range(count)]
        try:
            time.sleep(4)  # let the workers connect before the clock starts
            started = time.perf_counter()
            job = services.job_start(evaluation=evaluation, user=user, kind=JobKind.MONTE_CARLO, n=args.n, seed=1)
            while True:
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            print(
                f"{count} worker(s): {elapsed:.2f} s for {args.n:,} simulations in {job.chunks_total} chunks "
                f"-> {job.status}; mean NPV {job.result and job.result['mean_npv_eur']:.0f}",
                flush=True,
            )
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=30)
    SimulationJob.objects.filter(evaluation=evaluation).delete()
    evaluation.delete()


def _start_worker(index: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "platform_site",
            "worker",
            "--pool=solo",
            "-Q",
            QUEUE,
            "-n",
            f"{QUEUE}-{index}@localhost",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )


if __name__ == "__main__":
    main()
