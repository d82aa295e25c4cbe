"""The Sites row (django.contrib.sites) follows SITE_URL: allauth's e-mails and the admin's
"View on site" take the site's name and domain from it, so it must never say example.com.

A data migration sets it once; a post_migrate hook keeps it in step on every `migrate`
(e.g. `make run PORT=8731` migrates with SITE_URL=http://127.0.0.1:8731)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

SITE_NAME = "ATMP Expert Platform"


def site_domain(url: str | None = None) -> str:
    """host[:port] of SITE_URL, e.g. "atmp.example.org" or "127.0.0.1:8731"."""
    return urlsplit(url or settings.SITE_URL).netloc


def sync_site(site_model=None, using: str = "default") -> None:
    if site_model is None:
        from django.contrib.sites.models import Site as site_model
    site_model.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": SITE_NAME}
    )
    if site_model.__module__ == "django.contrib.sites.models":
        site_model.objects.clear_cache()


def sync_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate hook, after the sites app's own (which creates example.com on an empty table).

    post_migrate is sent per app with models; platform_site has none, so listen for the sites app."""
    if sender.label == "sites":
        sync_site(using=using)
