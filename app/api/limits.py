"""A plain ASGI middleware that refuses oversized bodies and non-JSON content types.

It runs before routing and before any body parsing, and stops reading at the limit, so
a client cannot make the service buffer or parse more than 64 KiB.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_response

MAX_BODY_BYTES = 64 * 1024
METHODS_WITH_BODY = {"POST", "PUT", "PATCH"}


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class BodyLimits:
    """Enforce the JSON content type and the body size limit on requests with a body."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS_WITH_BODY:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        # Only a body has a media type to check: an empty PUT to a GET-only route must
        # still reach the router and get its 405.
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if body and not _is_json(content_type):
            response = problem_response(
                415,
                "Send the body as JSON with Content-Type: application/json.",
                slug="unsupported-media-type",
            )
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            f"The request body is larger than {self.max_body_bytes // 1024} KiB.",
            slug="payload-too-large",
        )
        await response(scope, receive, send)
