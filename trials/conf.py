"""Settings of the trials app, with defaults; override in platform_site/settings.py if needed."""

from django.conf import settings


def sheet_max_bytes() -> int:
    """Largest workbook accepted, compressed (the upload limit of the whole site)."""
    return getattr(settings, "TRIALS_SHEET_MAX_BYTES", getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def sheet_max_unpacked_bytes() -> int:
    """Largest workbook accepted once unzipped: a guard against zip bombs."""
    return getattr(settings, "TRIALS_SHEET_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)


SHEET_MAX_ROWS = getattr(settings, "TRIALS_SHEET_MAX_ROWS", 1000)
SHEET_MAX_COLUMNS = getattr(settings, "TRIALS_SHEET_MAX_COLUMNS", 200)
# How many products a bulk download may hold (a zip of sheets is built in memory).
EXPORT_MAX_PRODUCTS = getattr(settings, "TRIALS_EXPORT_MAX_PRODUCTS", 2000)
