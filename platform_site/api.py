"""The one DRF router. Each app lists its viewsets in `<app>/api.py` as
`ROUTES = [(prefix, viewset, basename), ...]`; they are registered here."""

from importlib import import_module

from rest_framework.routers import DefaultRouter


class PlatformRouter(DefaultRouter):
    include_format_suffixes = False


router = PlatformRouter()

for app in ("trials", "facilities", "economics", "experts"):
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    for prefix, viewset, basename in getattr(module, "ROUTES", []):
        router.register(prefix, viewset, basename=basename)
