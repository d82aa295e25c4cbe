"""Settings of the economics app, each overridable in Django settings (see docs/economics.md)."""

from django.conf import settings

# Monte Carlo size limits: the 1,000,000 ceiling, 10,000 by default.
MAX_SIMULATIONS = getattr(settings, "ECONOMICS_MAX_SIMULATIONS", 1_000_000)
DEFAULT_SIMULATIONS = getattr(settings, "ECONOMICS_DEFAULT_SIMULATIONS", 10_000)
# Simulations per Celery chunk task: fixed (never derived from the worker count) so a seed
# reproduces the same numbers however many workers run the chunks.
CHUNK_SIZE = getattr(settings, "ECONOMICS_CHUNK_SIZE", 100_000)
TWO_WAY_MAX_STEPS = getattr(settings, "ECONOMICS_TWO_WAY_MAX_STEPS", 15)
# A running job that has not moved for this long lost its worker (killed, out of memory).
STALE_JOB_SECONDS = getattr(settings, "ECONOMICS_STALE_JOB_SECONDS", settings.CELERY_TASK_TIME_LIMIT + 120)
IMPORT_MAX_BYTES = getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
