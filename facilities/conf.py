"""Settings of the facilities app, read from django.conf.settings with defaults."""

from django.conf import settings


def tile_url() -> str:
    """Map tiles are optional: empty means no tile layer (markers, list and filters still work)."""
    return getattr(settings, "MAP_TILE_URL", "")


def tile_attribution() -> str:
    return getattr(settings, "MAP_TILE_ATTRIBUTION", "")


def list_page_size() -> int:
    return getattr(settings, "FACILITIES_LIST_PAGE_SIZE", 50)


def suggestion_threshold() -> float:
    """Similarity (0-1) from which a trial's lead-manufacturing text is suggested as a facility match."""
    return getattr(settings, "FACILITIES_MATCH_THRESHOLD", 0.55)


def api_cache_seconds() -> int:
    """How long a rendered /api/facilities/ body is kept; its key is the ETag, so edits never serve stale data."""
    return getattr(settings, "FACILITIES_API_CACHE_SECONDS", 300)
