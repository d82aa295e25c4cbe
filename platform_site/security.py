"""Glue between django-axes and our login forms."""

from django.http import HttpRequest


def login_identifier(request: HttpRequest, credentials: dict | None) -> str | None:
    """The identifier axes counts failures against.

    allauth authenticates with `email=`, the admin with `username=` (our
    USERNAME_FIELD is the e-mail), and the raw POST has `login`. Lower-cased,
    so "Alice@x" and "alice@x" share one counter.
    """
    sources = [credentials or {}, getattr(request, "POST", {}) or {}]
    for source in sources:
        for key in ("email", "username", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
