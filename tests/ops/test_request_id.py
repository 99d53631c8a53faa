"""X-Request-ID: taken from the request when acceptable, else generated; always echoed."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI, Request

from .support import build_app

pytestmark = pytest.mark.anyio
ClientFor = Callable[[FastAPI], httpx.AsyncClient]


@pytest.mark.parametrize(
    "incoming", ["abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "Root=1-5f84c7a9:x/y+z", "x"]
)
async def test_an_acceptable_id_is_echoed(client: httpx.AsyncClient, incoming: str) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["", "a" * 129, "has space", "new\\nline", 'quote"d', "é"])
async def test_an_unacceptable_id_is_replaced(client: httpx.AsyncClient, incoming: str) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": incoming.encode()})
    echoed = response.headers["X-Request-ID"]
    assert echoed != incoming
    assert uuid.UUID(echoed).version == 4


async def test_an_id_is_generated_for_every_request(client: httpx.AsyncClient) -> None:
    first = (await client.get("/healthz")).headers["X-Request-ID"]
    second = (await client.get("/healthz")).headers["X-Request-ID"]
    assert first != second
    assert uuid.UUID(first).version == uuid.UUID(second).version == 4


JSON = "application/json"


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status"),
    [
        ("GET", "/nowhere", b"", JSON, 404),
        ("GET", "/v1/triage", b"", JSON, 405),
        ("POST", "/v1/triage", b'{"findings": {"nope": true}}', JSON, 422),
        ("POST", "/v1/triage", b"{", JSON, 400),
        ("POST", "/v1/triage", b"x", "text/plain", 415),
        ("POST", "/v1/triage", b"[" + b"1," * 40_000 + b"1]", JSON, 413),
    ],
)
async def test_problem_documents_carry_the_request_id(
    client: httpx.AsyncClient, method: str, path: str, body: bytes, content_type: str, status: int
) -> None:
    headers = {"X-Request-ID": "req-7", "Content-Type": content_type}
    response = await client.request(method, path, content=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["request_id"] == "req-7"
    assert response.headers["X-Request-ID"] == "req-7"


async def test_handlers_can_read_the_id_from_request_state(client_for: ClientFor) -> None:
    app = build_app()

    async def whoami(request: Request) -> dict[str, str]:
        return {"request_id": request.state.request_id}

    app.add_api_route("/whoami", whoami)
    response = await client_for(app).get("/whoami", headers={"X-Request-ID": "me-1"})
    assert response.json() == {"request_id": "me-1"}
