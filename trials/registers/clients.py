"""The network side: one small client, three adapters, the only code that calls the registers.

Each adapter only says where a register keeps a trial (URL, method); the client
adds what every call needs: the platform's User-Agent, a timeout, a polite
minimum interval between two requests to the same register, and retries with
doubling backoff on timeouts, connection errors, 429 (honouring Retry-After)
and 5xx answers. What comes back is handed to the pure parsers. Nothing is
called unless `REGISTRY_REFRESH_ENABLED` is set.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

import httpx
from django.conf import settings

from . import parsers
from .parsers.common import CTGOV, CTIS, EUCTR, REGISTER_NAMES, RecordError, RegisterRecord


class RefreshDisabled(RuntimeError):
    """REGISTRY_REFRESH_ENABLED is off: the portal never reaches out."""


class FetchError(Exception):
    """The register could not be asked or did not answer usefully; the message says why."""


class NotInRegister(FetchError):
    """404: the register has no trial under this number."""


# Errors a refresh records against one trial and then moves on.
TRIAL_ERRORS = (FetchError, RecordError)


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: dict | None = None
    accept: str = "application/json"


def _base(url: str) -> str:
    return url.rstrip("/")


def record_request(registry: str, register_id: str) -> Request:
    """Where each register keeps one trial."""
    if registry == CTGOV:
        return Request("GET", f"{_base(settings.REGISTRY_CTGOV_URL)}/studies/{register_id}")
    if registry == CTIS:
        return Request("GET", f"{_base(settings.REGISTRY_CTIS_URL)}/retrieve/{register_id}")
    if registry == EUCTR:
        url = f"{_base(settings.REGISTRY_EUCTR_URL)}/download/full?query={register_id}&mode=current_page"
        return Request("GET", url, accept="text/plain")
    raise ValueError(f"Unknown register {registry!r}")


def ctis_search_request(eudract: str) -> Request:
    """The CTIS portal search for the trial a EudraCT number transitioned to."""
    body = {
        "pagination": {"page": 1, "size": 20},
        "sort": {"property": "decisionDate", "direction": "DESC"},
        "searchCriteria": {"eudraCtCode": eudract},
    }
    return Request("POST", f"{_base(settings.REGISTRY_CTIS_URL)}/search", body=body)


class _Pacer:
    """At most one request per REGISTRY_MIN_INTERVAL_SECONDS to each register, per process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}

    def wait(self, registry: str) -> None:
        with self._lock:
            due = self._last.get(registry, 0.0) + settings.REGISTRY_MIN_INTERVAL_SECONDS
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last[registry] = time.monotonic()


_pacer = _Pacer()


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "")), 60.0)
    except ValueError:
        return default


class RegisterClient:
    """`fetch(registry, number)` -> RegisterRecord; raises FetchError or RecordError for that trial."""

    def __init__(self):
        if not settings.REGISTRY_REFRESH_ENABLED:
            raise RefreshDisabled("Register refresh is off: set REGISTRY_REFRESH_ENABLED=1 to reach the registers.")
        self.attempts: list[str] = []  # what each try met, for the job log and the tests
        self._pause = 0.0
        self._http = httpx.Client(
            timeout=settings.REGISTRY_TIMEOUT_SECONDS,
            headers={"User-Agent": settings.REGISTRY_USER_AGENT},
            follow_redirects=True,  # ClinicalTrials.gov redirects an NCT alias to the study's number
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fetch(self, registry: str, register_id: str) -> RegisterRecord:
        body = self._send(registry, record_request(registry, register_id), register_id)
        return parsers.parse(registry, body, expected_id=register_id)

    def find_ctis_number(self, eudract: str) -> str | None:
        """The EU CT number of the CTIS trial a EudraCT trial transitioned to, if CTIS has one."""
        numbers = parsers.ctis.parse_search(self._send(CTIS, ctis_search_request(eudract), eudract))
        return numbers[0] if numbers else None

    def _send(self, registry: str, request: Request, register_id: str) -> str:
        name = REGISTER_NAMES[registry]
        retries = max(settings.REGISTRY_RETRIES, 0)
        problem = ""
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(self._pause)
            _pacer.wait(registry)
            self._pause = settings.REGISTRY_BACKOFF_SECONDS * (2**attempt)
            try:
                response = self._http.request(
                    request.method,
                    request.url,
                    headers={"Accept": request.accept},
                    content=json.dumps(request.body) if request.body is not None else None,
                )
            except httpx.TimeoutException:
                problem = f"{name} did not answer within {settings.REGISTRY_TIMEOUT_SECONDS:g} s"
                self.attempts.append("timeout")
                continue
            except httpx.TransportError as exc:
                problem = f"{name} could not be reached ({exc.__class__.__name__})"
                self.attempts.append("unreachable")
                continue
            self.attempts.append(str(response.status_code))
            if response.status_code == 404:
                raise NotInRegister(f"{name} has no trial {register_id} (404).")
            if response.status_code == 429:
                problem = f"{name} asked us to slow down (429)"
                self._pause = max(self._pause, _retry_after(response, self._pause))
                continue
            if response.status_code >= 500:
                problem = f"{name} answered {response.status_code}"
                continue
            if response.status_code != 200:
                raise FetchError(f"{name} refused the request for {register_id} ({response.status_code}).")
            return response.text
        tries = retries + 1
        raise FetchError(f"{problem}; gave up on {register_id} after {tries} tr{'y' if tries == 1 else 'ies'}.")
