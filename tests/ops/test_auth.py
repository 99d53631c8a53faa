"""API keys: required on /v1, /fhir and /cds-services when configured; probes and docs open."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from app.api.auth import ApiKeyAuth

from .support import API_KEY, OTHER_KEY, build_app

pytestmark = pytest.mark.anyio
ClientFor = Callable[[FastAPI], httpx.AsyncClient]
TRIAGE = {"findings": {"pain_with_sitting": True}}


@pytest.fixture
def secured(client_for: ClientFor) -> httpx.AsyncClient:
    return client_for(build_app(api_keys=frozenset({API_KEY, OTHER_KEY})))


@pytest.mark.parametrize("key", [None, "", "wrong-key-0123456789", API_KEY[:-1], API_KEY + "x"])
async def test_a_missing_or_wrong_key_gets_401_problem(
    secured: httpx.AsyncClient, key: str | None
) -> None:
    headers = {} if key is None else {"X-API-Key": key}
    response = await secured.post("/v1/triage", json=TRIAGE, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
    problem = response.json()
    assert problem["status"] == 401
    assert "X-API-Key" in problem["detail"]
    assert problem["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize("key", [API_KEY, OTHER_KEY])
async def test_any_configured_key_is_accepted(secured: httpx.AsyncClient, key: str) -> None:
    response = await secured.post("/v1/triage", json=TRIAGE, headers={"X-API-Key": key})
    assert response.status_code == 200
    assert (await secured.get("/v1/findings", headers={"X-API-Key": key})).status_code == 200


@pytest.mark.parametrize(
    "path", ["/v1/findings", "/v1/nothing-here", "/fhir/metadata", "/cds-services", "/v1/triage/"]
)
async def test_every_protected_path_needs_the_key(secured: httpx.AsyncClient, path: str) -> None:
    assert (await secured.get(path)).status_code == 401


@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/metrics", "/docs", "/redoc", "/openapi.json"]
)
async def test_probes_metrics_and_docs_stay_open(secured: httpx.AsyncClient, path: str) -> None:
    assert (await secured.get(path)).status_code == 200


async def test_the_key_is_checked_before_the_body_is_read(secured: httpx.AsyncClient) -> None:
    # Without a key, an oversized or non-JSON body is refused as unauthorized, unread.
    response = await secured.post(
        "/v1/triage", content=b"x" * 100_000, headers={"content-type": "text/plain"}
    )
    assert response.status_code == 401


async def test_auth_is_off_without_keys(client: httpx.AsyncClient) -> None:
    assert (await client.post("/v1/triage", json=TRIAGE)).status_code == 200


def test_each_configured_key_matches_and_nothing_else_does() -> None:
    auth = ApiKeyAuth(app=None, keys=[API_KEY, OTHER_KEY])  # type: ignore[arg-type]
    assert auth._accepts(API_KEY.encode())
    assert auth._accepts(OTHER_KEY.encode())
    assert not auth._accepts(b"")
    assert not auth._accepts("ü".encode())


async def test_the_openapi_document_declares_the_scheme(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": document["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    triage = document["paths"]["/v1/triage"]["post"]
    assert triage["security"] == [{"ApiKey": []}]
    assert "401" in triage["responses"]
    for path in ("/healthz", "/readyz"):
        assert "security" not in document["paths"][path]["get"]
