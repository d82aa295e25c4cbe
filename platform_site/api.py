"""The one DRF router: each app lists its viewsets in `<app>/api.py` as
`ROUTES = [(prefix, viewset, basename), ...]`, imported and registered here (an app with an
API adds one import line; a missing module is an error, never skipped silently)."""

from rest_framework.routers import DefaultRouter

from economics.api import ROUTES as ECONOMICS_ROUTES
from experts.api import ROUTES as EXPERTS_ROUTES
from facilities.api import ROUTES as FACILITIES_ROUTES
from trials.api import ROUTES as TRIALS_ROUTES


class PlatformRouter(DefaultRouter):
    include_format_suffixes = False


router = PlatformRouter()

for prefix, viewset, basename in [*TRIALS_ROUTES, *FACILITIES_ROUTES, *ECONOMICS_ROUTES, *EXPERTS_ROUTES]:
    router.register(prefix, viewset, basename=basename)
