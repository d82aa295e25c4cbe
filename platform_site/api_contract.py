"""The API's contract, applied to every endpoint: documented error responses and plain error bodies.

``PlatformAutoSchema`` (settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds the error answers an
operation can give to /api/schema/ when its view did not document them itself, so an endpoint added
later is documented (and fuzzed by tests/platform/test_api_contract.py) without extra work:

- 400 for writes and for operations with query parameters (an invalid filter value),
- 403 for writes (authentication, CSRF, ownership) and for views whose permissions can refuse a read,
- 404 for operations with a path parameter, and for paginated lists (a page past the end).

``platform_site.api_filters.EmptyValuesMeanNoFilter`` is the default filter backend (a module of its
own: DRF imports filter backends while it is itself being imported).

``exception_handler`` makes every error body JSON of plain strings: ``{"detail": "..."}`` or one list
of messages per field; ``error_sentence`` turns such a body into one sentence for text formats (CSV).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions
from rest_framework.views import exception_handler as drf_exception_handler

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "`detail`: what went wrong. For invalid input instead: a list of messages per parameter or field "
        "(`non_field_errors` for the request as a whole)."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a message per parameter or field",
    "403": "Not allowed: log in as an approved expert, send the CSRF token, or ask for your own records only",
    "404": "No such record visible to you (or a page past the end of the list)",
}
# Permissions that never refuse a read.
_READ_ALWAYS_ALLOWED = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)


class PlatformAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ERROR_SCHEMA, description=ERROR_DESCRIPTIONS[code]), code, direction=direction
                )
        return responses

    def _error_codes(self) -> list[str]:
        write = self.method not in permissions.SAFE_METHODS
        has_path_parameter = "{" in self.path
        codes = []
        if write or self._has_query_parameters():
            codes.append("400")
        refuses_reads = any(
            not isinstance(permission, _READ_ALWAYS_ALLOWED) for permission in self.view.get_permissions()
        )
        if write or refuses_reads:
            codes.append("403")
        if has_path_parameter or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        return codes

    def _has_query_parameters(self) -> bool:
        return any(parameter.get("in") == "query" for parameter in self._get_parameters())


def _plain(data):
    """ErrorDetail and lazy strings as plain str, recursively (a Python repr must never reach a client)."""
    if isinstance(data, dict):
        return {str(key): _plain(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(value) for value in data]
    return str(data)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None:
        data = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = _plain(data)
    return response


def error_sentence(data) -> str:
    """One readable sentence from an error body, e.g. "country: Select a valid choice. XX is not one of ..."."""
    if not isinstance(data, dict):
        return " ".join(str(message) for message in data) if isinstance(data, list) else str(data)
    parts = []
    for key, value in data.items():
        messages = " ".join(_flatten(value))
        parts.append(messages if key in ("detail", "non_field_errors") else f"{key}: {messages}")
    return "; ".join(parts)


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _flatten(item)]
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _flatten(item)]
    return [str(value)]
