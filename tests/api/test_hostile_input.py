"""Hostile and malformed input: always a problem document, never a 500, never slow."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from app.api.limits import MAX_BODY_BYTES
from app.api.problems import MAX_REPORTED_ERRORS

pytestmark = pytest.mark.anyio
JSON = {"content-type": "application/json"}


async def raw(
    client: httpx.AsyncClient, body: bytes, headers: dict[str, str] = JSON
) -> httpx.Response:
    return await client.post("/v1/triage", content=body, headers=headers)


def problem(response: httpx.Response, *statuses: int) -> dict[str, object]:
    assert response.status_code in statuses, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    document: dict[str, object] = response.json()
    assert document["status"] == response.status_code
    return document


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 60_000,  # nesting far beyond the parser's recursion limit
        b'{"age": ' + b"9" * 5_000 + b"}",  # an integer too long to parse
        b"\xff\xfe\x00",  # not UTF-8
        b'{"age": 34,}',  # trailing comma
        b"{'age': 34}",  # single quotes
    ],
    ids=["deep-nesting", "huge-integer", "not-utf8", "trailing-comma", "single-quotes"],
)
async def test_unparseable_bodies_are_400(client: httpx.AsyncClient, body: bytes) -> None:
    problem(await raw(client, body), 400)


@pytest.mark.parametrize(
    "body",
    [
        b'"a string"',
        b"null",
        b"42",
        b"[]",
        b'{"findings": null}',
        b'{"age": 1e400}',
        b'{"duration_weeks": NaN}',
    ],
)
async def test_wrong_shapes_are_422_or_400(client: httpx.AsyncClient, body: bytes) -> None:
    problem(await raw(client, body), 400, 422)


async def test_exactly_the_limit_is_read_and_one_more_byte_is_413(
    client: httpx.AsyncClient,
) -> None:
    padding = MAX_BODY_BYTES - len(b'{"findings": {}}')
    at_limit = b'{"findings": {}}' + b" " * padding
    assert len(at_limit) == MAX_BODY_BYTES
    assert (await raw(client, at_limit)).status_code == 200
    problem(await raw(client, at_limit + b" "), 413)


async def test_a_lying_content_length_is_413(client: httpx.AsyncClient) -> None:
    problem(await raw(client, b"{}", {**JSON, "content-length": "999999999"}), 413)


async def test_chunked_upload_is_cut_at_the_limit(client: httpx.AsyncClient) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(10_000):
            sent += 4096
            yield b" " * 4096

    problem(await client.post("/v1/triage", content=endless(), headers=JSON), 413)
    # The middleware stops reading just past 64 KiB rather than draining 40 MB.
    assert sent < 2 * MAX_BODY_BYTES


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "multipart/form-data", ""]
)
async def test_non_json_bodies_are_415(client: httpx.AsyncClient, content_type: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    problem(await raw(client, b'{"age": 30}', headers), 415)


async def test_thousands_of_unknown_ids_are_reported_briefly_and_fast(
    client: httpx.AsyncClient,
) -> None:
    body = json.dumps({"findings": {f"pain_w{i}": True for i in range(3_000)}}).encode()
    started = time.perf_counter()
    response = await raw(client, body)
    elapsed = time.perf_counter() - started
    document = problem(response, 422)
    errors = document["errors"]
    assert isinstance(errors, list)
    assert len(errors) == MAX_REPORTED_ERRORS
    assert "3000 invalid" in str(document["detail"])
    assert len(response.content) < 10_000
    assert elapsed < 5  # generous: a guard against quadratic blow-ups, not a benchmark


async def test_a_huge_unknown_key_is_not_echoed_back(client: httpx.AsyncClient) -> None:
    response = await raw(client, json.dumps({"findings": {"x" * 60_000: True}}).encode())
    problem(response, 422)
    assert len(response.content) < 2_000


async def test_duplicate_keys_take_the_last_value(client: httpx.AsyncClient) -> None:
    body = b'{"findings": {"saddle_numbness": true, "saddle_numbness": false}}'
    assert (await raw(client, body)).json()["triage"]["level"] != "emergency"


async def test_unicode_and_control_characters_in_keys_are_rejected_cleanly(
    client: httpx.AsyncClient,
) -> None:
    body = json.dumps(
        {"findings": {"pain\u0000with\u202esitting": True, "\U0001f9b5": False}}
    ).encode()
    document = problem(await raw(client, body), 422)
    assert len(document["errors"]) == 2  # type: ignore[arg-type]


async def test_unexpected_errors_become_a_bare_500(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.api.triage as triage_route

    def explode(*_: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(triage_route, "assess", explode)
    transport = httpx.ASGITransport(app=client._transport.app, raise_app_exceptions=False)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as quiet:
        response = await quiet.post("/v1/triage", json={})
    document = problem(response, 500)
    assert "secret" not in response.text
    assert document["detail"]
