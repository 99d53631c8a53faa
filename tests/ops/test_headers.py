"""Security headers on every response, no-store on personal answers, and CORS by setting."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from app.api.security import API_CSP, DOCS_CSP

from .support import build_app

pytestmark = pytest.mark.anyio
ClientFor = Callable[[FastAPI], httpx.AsyncClient]
ORIGIN = "https://app.example"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, x-api-key",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/healthz"), ("GET", "/v1/findings"), ("POST", "/v1/triage"), ("GET", "/nowhere")],
)
async def test_api_responses_get_the_strict_headers(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json={})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert (
        response.headers["Content-Security-Policy"]
        == API_CSP
        == ("default-src 'none'; frame-ancestors 'none'")
    )


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_pages_get_a_policy_that_lets_them_run(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert csp == DOCS_CSP
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-eval'" not in csp


async def test_personal_answers_are_not_stored(client: httpx.AsyncClient) -> None:
    triage = await client.post("/v1/triage", json={"findings": {"pain_with_sitting": True}})
    assert triage.headers["Cache-Control"] == "no-store"
    invalid = await client.post("/v1/triage", json={"age": 3})
    assert invalid.headers["Cache-Control"] == "no-store"
    assert "no-store" not in (await client.get("/v1/findings")).headers.get("Cache-Control", "")


async def test_no_cors_headers_by_default(client: httpx.AsyncClient) -> None:
    simple = await client.get("/v1/findings", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in simple.headers
    preflight = await client.options("/v1/triage", headers=PREFLIGHT)
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_configured_origins_get_cors(client_for: ClientFor) -> None:
    client = client_for(build_app(cors_origins=(ORIGIN,), api_keys=frozenset({"k" * 20})))
    # The preflight carries no API key: it is answered before the key check.
    preflight = await client.options("/v1/triage", headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert {"content-type", "x-api-key", "x-request-id"} <= set(allowed.split(", "))
    answer = await client.get("/v1/findings", headers={"Origin": ORIGIN, "X-API-Key": "k" * 20})
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Request-ID" in answer.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer.headers
    stranger = await client.options(
        "/v1/triage", headers={**PREFLIGHT, "Origin": "https://evil.example"}
    )
    assert stranger.status_code == 400
    assert "Access-Control-Allow-Origin" not in stranger.headers
