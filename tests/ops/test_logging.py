"""Structured logs: one JSON object per line, with the request's fields, and never a body."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from .support import build_app

pytestmark = pytest.mark.anyio
CANARY = "zebracanary7f3a"
ClientFor = Callable[[FastAPI], httpx.AsyncClient]


def json_lines(output: str) -> list[dict[str, Any]]:
    """Every line of `output` parsed; fails unless each one is a JSON object."""
    records = [json.loads(line) for line in output.splitlines()]
    assert all(isinstance(record, dict) for record in records)
    return records


def access_lines(output: str) -> list[dict[str, Any]]:
    return [r for r in json_lines(output) if r["logger"] == "thigh_triage.access"]


async def test_one_json_object_per_request_with_the_fields(
    client_for: ClientFor, capsys: pytest.CaptureFixture[str]
) -> None:
    client = client_for(build_app())
    capsys.readouterr()
    await client.post("/v1/triage", json={"findings": {"saddle_numbness": True}})
    await client.get("/v1/findings?secret=" + CANARY)
    triage, findings = access_lines(capsys.readouterr().out)
    assert triage["message"] == "request"
    assert triage["level"] == "INFO"
    assert {"ts", "request_id", "method", "path", "route", "status", "duration_ms"} <= set(triage)
    assert (triage["method"], triage["path"], triage["status"]) == ("POST", "/v1/triage", 200)
    assert triage["route"] == "/v1/triage"
    assert triage["triage_level"] == "emergency"
    assert isinstance(triage["duration_ms"], float)
    # The path is logged without its query string, and only the triage route has a level.
    assert findings["path"] == "/v1/findings"
    assert "triage_level" not in findings


async def test_every_line_of_a_request_carries_its_id(
    client_for: ClientFor, capsys: pytest.CaptureFixture[str]
) -> None:
    app = build_app()

    async def chatty() -> dict[str, str]:
        logging.getLogger("thigh_triage.test").warning("inside the handler")
        return {}

    app.add_api_route("/v1/chatty", chatty)
    capsys.readouterr()
    await client_for(app).get("/v1/chatty", headers={"X-Request-ID": "trace-42"})
    records = [r for r in json_lines(capsys.readouterr().out) if r["logger"] != "httpx"]
    assert [r["logger"] for r in records] == ["thigh_triage.test", "thigh_triage.access"]
    assert {r["request_id"] for r in records} == {"trace-42"}


async def test_no_request_or_response_body_is_logged_even_at_debug(
    client_for: ClientFor, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(build_app(log_level="DEBUG"))
    capsys.readouterr()
    invalid = await client.post(
        "/v1/triage",
        json={"sex": CANARY, "activities": [CANARY], "findings": {CANARY: True}, CANARY: 1},
    )
    malformed = await client.post(
        "/v1/triage", content='{"' + CANARY + '": ', headers={"content-type": "application/json"}
    )
    valid = await client.post("/v1/triage", json={"findings": {"pain_with_sitting": True}})
    # The canary is in the answers (the 422 quotes the unknown id), so logging a body of
    # either direction would show up; so would the disclaimer of a successful answer.
    assert CANARY in invalid.text
    assert malformed.status_code == 400
    disclaimer = valid.json()["meta"]["disclaimer"]
    output = capsys.readouterr().out
    assert len(access_lines(output)) == 3
    assert logging.getLogger().getEffectiveLevel() == logging.DEBUG
    for captured in (output, caplog.text):
        assert CANARY not in captured
        assert disclaimer not in captured


async def test_an_unexpected_error_is_logged_without_its_message(
    client_for: ClientFor, capsys: pytest.CaptureFixture[str]
) -> None:
    app = build_app()

    async def broken() -> None:
        raise RuntimeError(f"cannot process {CANARY}")

    app.add_api_route("/v1/broken", broken)
    capsys.readouterr()
    response = await client_for(app).get("/v1/broken")
    assert response.status_code == 500
    problem = response.json()
    assert problem["request_id"] == response.headers["X-Request-ID"]
    assert CANARY not in response.text
    output = capsys.readouterr().out
    assert CANARY not in output
    error, access = [r for r in json_lines(output) if r["logger"].startswith("thigh_triage")]
    assert error["level"] == "ERROR"
    assert error["exc_type"] == "RuntimeError"
    assert "broken" in error["traceback"]
    assert error["request_id"] == access["request_id"] == problem["request_id"]
    assert access["status"] == 500


async def test_the_level_filters_the_access_log(
    client_for: ClientFor, capsys: pytest.CaptureFixture[str]
) -> None:
    client = client_for(build_app(log_level="WARNING"))
    capsys.readouterr()
    await client.get("/healthz")
    assert access_lines(capsys.readouterr().out) == []
