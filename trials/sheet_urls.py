"""URLs of the cover-sheet import/export; included by trials/urls.py (same `trials:` namespace)."""

urlpatterns: list = []
