"""Fixtures for the register refresh: saved records and a local stand-in for the three registers."""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

RECORDS = Path(__file__).parent / "records"


def record_text(registry: str, name: str) -> str:
    """A saved record (constructed in the register's format; see records/README.md)."""
    suffix = ".txt" if registry == "euctr" else ".json"
    return (RECORDS / registry / f"{name}{suffix}").read_text(encoding="utf-8")


class FakeRegisters:
    """Serves the saved records the way the registers would; `script` makes a path misbehave.

    Paths: /ctgov/studies/<NCT>, /ctis/retrieve/<EU CT>, POST /ctis/search, /euctr/download/full?query=<EudraCT>.
    A scripted answer is (status, body, headers, delay in seconds); each request takes the next one,
    the last one repeats.
    """

    def __init__(self):
        self.requests: list[tuple[str, str, str]] = []  # (method, path, user agent)
        self.scripts: dict[str, list[tuple]] = {}
        self.records: dict[str, str] = {}  # path -> body, on top of the saved files
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def script(self, path: str, *answers: tuple) -> None:
        self.scripts[path] = list(answers)

    def hits(self, path: str) -> int:
        return sum(1 for _method, p, _ua in self.requests if p == path)

    def _answer(self, method: str, path: str, query: dict, body: bytes) -> tuple:
        if path in self.scripts:
            answers = self.scripts[path]
            return answers.pop(0) if len(answers) > 1 else answers[0]
        if path in self.records:
            return (200, self.records[path], {}, 0)
        parts = path.strip("/").split("/")
        try:
            if parts[:2] == ["ctgov", "studies"]:
                return (200, record_text("ctgov", parts[2]), {}, 0)
            if parts[:2] == ["ctis", "retrieve"]:
                return (200, record_text("ctis", parts[2]), {}, 0)
            if parts[:2] == ["ctis", "search"] and method == "POST":
                import json

                eudract = json.loads(body)["searchCriteria"]["eudraCtCode"]
                try:
                    return (200, record_text("ctis", f"search-eudract-{eudract}"), {}, 0)
                except FileNotFoundError:
                    return (200, '{"pagination": {"totalRecords": 0}, "data": []}', {}, 0)
            if parts[:3] == ["euctr", "download", "full"]:
                return (200, record_text("euctr", query["query"][0]), {"Content-Type": "text/plain"}, 0)
        except (FileNotFoundError, IndexError, KeyError):
            pass
        return (404, "Not found", {}, 0)

    def _handler(self):
        registers = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _serve(self, method: str):
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                registers.requests.append((method, parsed.path, self.headers.get("User-Agent", "")))
                status, text, headers, delay = registers._answer(method, parsed.path, parse_qs(parsed.query), body)
                if delay:
                    time.sleep(delay)
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        return Handler


@pytest.fixture
def fake_registers():
    registers = FakeRegisters()
    registers.thread.start()
    yield registers
    registers.server.shutdown()
    registers.server.server_close()


@pytest.fixture
def registers_on(settings, fake_registers):
    """Refresh switched on against the local stand-in, with short timeouts and backoff."""
    settings.REGISTRY_REFRESH_ENABLED = True
    settings.REGISTRY_CTGOV_URL = f"{fake_registers.url}/ctgov"
    settings.REGISTRY_CTIS_URL = f"{fake_registers.url}/ctis"
    settings.REGISTRY_EUCTR_URL = f"{fake_registers.url}/euctr"
    settings.REGISTRY_TIMEOUT_SECONDS = 0.5
    settings.REGISTRY_RETRIES = 2
    settings.REGISTRY_BACKOFF_SECONDS = 0.01
    settings.REGISTRY_MIN_INTERVAL_SECONDS = 0
    return fake_registers


@pytest.fixture
def registers_worker(django_db_setup, django_db_blocker, tmp_path):
    """A Celery worker process of its own, whose settings point at a local stand-in for the registers.

    The shared `celery_worker_process` cannot be given the registers' URLs: it may already be running
    when this test starts. Needs a broker and PostgreSQL (`make test-services`).
    """
    import uuid

    from platform_site.celery import app as celery_app
    from tests.workers import celery_worker, skip_unless_worker_services

    skip_unless_worker_services()
    registers = FakeRegisters()
    registers.thread.start()
    run_id = uuid.uuid4().hex[:8]
    queue, hostname = f"test-registers-{run_id}", f"test-registers-{run_id}@localhost"
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    env = {
        "REGISTRY_REFRESH_ENABLED": "1",
        "REGISTRY_CTGOV_URL": f"{registers.url}/ctgov",
        "REGISTRY_CTIS_URL": f"{registers.url}/ctis",
        "REGISTRY_EUCTR_URL": f"{registers.url}/euctr",
        "REGISTRY_TIMEOUT_SECONDS": "2",
        "REGISTRY_RETRIES": "2",
        "REGISTRY_BACKOFF_SECONDS": "0.01",
        "REGISTRY_MIN_INTERVAL_SECONDS": "0",
    }
    log = tmp_path / "registers-worker.log"
    try:
        with celery_worker(queue=queue, hostname=hostname, log_path=log, extra_env=env) as process:
            yield {"registers": registers, "process": process, "log": str(log)}
    finally:
        celery_app.conf.task_default_queue = previous_queue
        registers.server.shutdown()
        registers.server.server_close()
