"""The network adapter against a local HTTP server standing in for the registers."""

from __future__ import annotations

import pytest

from trials.registers.clients import FetchError, NotInRegister, RefreshDisabled, RegisterClient
from trials.registers.parsers import RecordError

NCT = "NCT09990001"
PATH = f"/ctgov/studies/{NCT}"


def test_off_unless_enabled(settings):
    settings.REGISTRY_REFRESH_ENABLED = False
    with pytest.raises(RefreshDisabled, match="REGISTRY_REFRESH_ENABLED"):
        RegisterClient()


def test_fetches_each_register_with_the_platform_user_agent(registers_on):
    with RegisterClient() as client:
        assert client.fetch("ctgov", NCT).register_id == NCT
        assert client.fetch("ctis", "2024-599901-12-00").status == "active_not_recruiting"
        assert client.fetch("euctr", "2018-999002-22").status == "ongoing"
        assert client.find_ctis_number("2019-999001-11") == "2024-599901-12-00"
        assert client.find_ctis_number("2018-999002-22") is None
    agents = {agent for _method, _path, agent in registers_on.requests}
    assert agents == {"ATMP Expert Platform register refresh (+http://127.0.0.1:8000/about/)"}


def test_429_is_retried_then_succeeds(registers_on):
    from .conftest import record_text

    registers_on.script(PATH, (429, "slow down", {"Retry-After": "0"}, 0), (200, record_text("ctgov", NCT), {}, 0))
    with RegisterClient() as client:
        assert client.fetch("ctgov", NCT).register_id == NCT
        assert client.attempts == ["429", "200"]
    assert registers_on.hits(PATH) == 2


def test_rate_limited_every_time_gives_up_after_the_retries(registers_on):
    registers_on.script(PATH, (429, "slow down", {}, 0))
    with RegisterClient() as client, pytest.raises(FetchError, match=r"slow down \(429\).*after 3 tries"):
        client.fetch("ctgov", NCT)
    assert registers_on.hits(PATH) == 3  # the first try and REGISTRY_RETRIES=2 retries


def test_timeout_is_retried_then_reported(registers_on):
    registers_on.script(PATH, (200, "{}", {}, 1.5))  # longer than REGISTRY_TIMEOUT_SECONDS=0.5
    with RegisterClient() as client, pytest.raises(FetchError, match=r"did not answer within 0.5 s"):
        client.fetch("ctgov", NCT)
    assert client.attempts == ["timeout", "timeout", "timeout"]


def test_server_error_then_success(registers_on):
    from .conftest import record_text

    registers_on.script(PATH, (503, "maintenance", {}, 0), (200, record_text("ctgov", NCT), {}, 0))
    with RegisterClient() as client:
        assert client.fetch("ctgov", NCT).title


def test_404_is_not_retried(registers_on):
    with RegisterClient() as client, pytest.raises(NotInRegister, match="has no trial NCT09990009"):
        client.fetch("ctgov", "NCT09990009")
    assert registers_on.hits("/ctgov/studies/NCT09990009") == 1


def test_malformed_json_is_a_record_error(registers_on):
    registers_on.script(PATH, (200, '{"protocolSection": {', {}, 0))
    with RegisterClient() as client, pytest.raises(RecordError, match="not JSON"):
        client.fetch("ctgov", NCT)
    assert registers_on.hits(PATH) == 1  # a broken record is not asked for again


def test_unreachable_register(settings, registers_on):
    settings.REGISTRY_CTGOV_URL = "http://127.0.0.1:9/ctgov"  # discard port: nothing listens
    with RegisterClient() as client, pytest.raises(FetchError, match="could not be reached"):
        client.fetch("ctgov", NCT)
