"""Baseline apps for the HTTP ratios: what the framework costs before our code runs."""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Request
from starlette.types import Receive, Scope, Send

from app.api.schemas import TriageRequest
from app.api.triage import answer

CONSTANT = b'{"ok":true}'

bare_fastapi = FastAPI()


@bare_fastapi.post("/v1/triage")
async def bare(request: Request) -> dict[str, bool]:
    """Read the body and return a constant: FastAPI's own floor."""
    await request.body()
    return {"ok": True}


async def _body(receive: Receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _json(send: Send, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def raw_asgi(scope: Scope, receive: Receive, send: Send) -> None:
    """A raw ASGI app returning fixed bytes: the server's own floor."""
    if scope["type"] != "http":
        return
    await _body(receive)
    await _json(send, CONSTANT)


async def triage_without_framework(scope: Scope, receive: Receive, send: Send) -> None:
    """The triage route's own work (validate, assess, present, serialize) in a raw ASGI
    app, with no framework, middleware or error handling: the ceiling that any tuning of
    the layers around the engine could reach. GET answers a constant (readiness)."""
    if scope["type"] != "http":
        return
    body = await _body(receive)
    if scope["method"] != "POST":
        await _json(send, CONSTANT)
        return
    await _json(send, orjson.dumps(answer(TriageRequest.model_validate_json(body))))
