"""Request hygiene applied to every page and API call."""

from django.http import HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "The request contained a NUL character (%00), which no field accepts."


def is_api_request(request) -> bool:
    """The REST API answers errors in JSON (its documentation pages are HTML)."""
    return request.path.startswith("/api/") and not request.path.startswith("/api/docs/")


class RejectNulCharactersMiddleware:
    """Answer 400 to a query string or form field containing a NUL character.

    PostgreSQL text cannot hold NUL, so such input would otherwise reach the
    database as an error (a 500) in any view that filters on it. No real
    search, form or API value contains one; refusing it here protects every
    view at once. (Django's form fields refuse it too; raw filters did not.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul_post(request)):
            if is_api_request(request):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


def _has_nul_post(request) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return False  # JSON bodies are checked by the API's serializers
    return _has_nul(request.POST)
