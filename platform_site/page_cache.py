"""A cache of whole public pages for anonymous visitors, keyed by the version of the data they show.

Most requests are anonymous reads of a handful of pages (home, the trial and product lists, the
map). Each is rendered once per *catalogue version* and query string, then served from the cache
(REDIS_URL, shared by every web process) until the data changes: the key carries the version, so
any write makes a new key and the old entries are never read again (they expire after
PAGE_CACHE_SECONDS). Versions come from cheap summaries the apps already keep:

- trials: the catalogue change log's summary (trials/facet_index.py), moved by every write;
- facilities: the map's data version (facilities/geo.py), moved by every facility, authorisation
  or manufacturing-site write;
- facility_rows: the number of facilities and their newest change (the home page's count);
- experts: the number of profiles and their newest change (the home page's expert count).

Only plain anonymous GETs are cached: no session or messages cookie, no response that sets a
cookie or carries a CSRF token. A page's CSP nonce is replaced by the current request's on a hit.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse

CACHE_PREFIX = "page:v1:"


def _trials_version() -> str:
    from trials.facet_index import change_summary

    return change_summary()


def _facilities_version() -> str:
    from facilities.geo import data_version
    from facilities.models import Facility

    return data_version(Facility.objects.all())


def _facility_rows_version() -> str:
    """Enough for a count of facilities (the home page): one query instead of the map's four."""
    from facilities.models import Facility

    facts = Facility.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{facts['n']}|{facts['last']}"


def _experts_version() -> str:
    from experts.models import ExpertProfile

    facts = ExpertProfile.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{facts['n']}|{facts['last']}"


VERSION_SOURCES = {
    "trials": _trials_version,
    "facilities": _facilities_version,
    "facility_rows": _facility_rows_version,
    "experts": _experts_version,
}

# URL name -> the data its page shows. Pages not listed are never cached.
CACHED_PAGES = {
    "home": ("trials", "facility_rows", "experts"),
    "trials:trial_list": ("trials",),
    "trials:product_list": ("trials",),
    "facilities:map": ("facilities",),
}


VARYING_HEADERS = ("HX-Request", "HX-Target", "X-Partial", "Accept")


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, sources) -> str:
    versions = "|".join(VERSION_SOURCES[source]() for source in sources)
    # A partial update of the same URL is another body (htmx's HX-Request, the map's X-Partial fetch).
    variants = "|".join(request.headers.get(name, "") for name in VARYING_HEADERS)
    raw = f"{versions}|{request.get_full_path()}|{variants}"
    return CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


class AnonymousPageCacheMiddleware:
    """Serve listed public pages to anonymous visitors from the cache (after authentication and CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        store(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        sources = CACHED_PAGES.get(getattr(request.resolver_match, "view_name", ""))
        if not settings.PAGE_CACHE_SECONDS or not sources or not _cacheable_request(request):
            return None
        request._page_cache_key = _key(request, sources)
        cached = cache.get(request._page_cache_key)
        if cached is None:
            return None
        content, content_type, nonce = cached
        if nonce:
            content = content.replace(nonce.encode(), str(request.csp_nonce).encode())
        response = HttpResponse(content, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response


def store(request, response) -> None:
    """Keep a freshly rendered page: only a plain 200 that sets no cookie and holds no CSRF token."""
    key = getattr(request, "_page_cache_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("X-Page-Cache")
        or b"csrfmiddlewaretoken" in response.content
    ):
        return
    nonce = getattr(request, "_csp_nonce", None)
    cache.set(key, (response.content, response["Content-Type"], nonce), settings.PAGE_CACHE_SECONDS)
    response["X-Page-Cache"] = "miss"
