from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import health, permissions


def platform(request) -> dict:
    """Role flags for templates; computed lazily per request."""
    user = getattr(request, "user", None)
    return {
        "is_expert": bool(user and permissions.is_expert(user)),
        "is_curator": bool(user and permissions.is_curator(user)),
        "user_role": permissions.role_of(user).value if user else "anonymous",
        "DEBUG": settings.DEBUG,
        # Asked only by pages that start background jobs; cached briefly (platform_site/health.py).
        "job_queue": SimpleLazyObject(health.job_queue),
    }
