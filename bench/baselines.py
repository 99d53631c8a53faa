"""Baseline apps for the HTTP ratios: what the framework costs before our code runs."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.types import Receive, Scope, Send

CONSTANT = b'{"ok":true}'

bare_fastapi = FastAPI()


@bare_fastapi.post("/v1/triage")
async def bare(request: Request) -> dict[str, bool]:
    """Read the body and return a constant: FastAPI's own floor."""
    await request.body()
    return {"ok": True}


async def raw_asgi(scope: Scope, receive: Receive, send: Send) -> None:
    """A raw ASGI app returning fixed bytes: the server's own floor."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": CONSTANT})
