"""The outermost middleware: request id, access log, metrics and the last-resort 500.

A plain ASGI middleware (BaseHTTPMiddleware would add a task and a queue per request).
It sees every response the app sends, including the problem documents of the inner
middleware, and never reads a request or response body.
"""

from __future__ import annotations

import logging
import re
import uuid
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.metrics import Metrics, route_template
from app.api.problems import problem_response
from app.api.request_context import CURRENT, RequestContext
from app.api.security import response_headers, set_header

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode()
# Ids from a gateway or a client are echoed and logged, so only short, inert ones are
# kept; anything else (log injection, megabyte headers) is replaced by a fresh uuid4.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=/-]{1,128}")
_MAX_LOGGED_PATH = 256

access_log = logging.getLogger("thigh_triage.access")
error_log = logging.getLogger("thigh_triage.error")


def request_id_from(scope: Scope) -> str:
    """The client's X-Request-ID when it is acceptable, otherwise a new uuid4."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    return str(uuid.uuid4())


class RequestObserver:
    """Give each request an id, echo it, log and measure the request, contain crashes."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = RequestContext(request_id_from(scope))
        scope.setdefault("state", {})["request_id"] = context.request_id
        token = CURRENT.set(context)
        # Routing may rewrite these (a mount extends root_path): keep what the client sent.
        method, path, root_path = scope["method"], scope["path"], scope.get("root_path", "")
        start = perf_counter()
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                set_header(
                    response_headers(message),
                    _REQUEST_ID_NAME,
                    context.request_id.encode("latin-1"),
                )
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Logged here, as JSON with the request id, and answered here: re-raising would
            # make the server log it a second time and answer without the request id.
            error_log.exception("unhandled error")
            if not started:
                response = problem_response(
                    500, "An unexpected error occurred. It has been logged."
                )
                await response(scope, receive, send_with_id)
        finally:
            seconds = perf_counter() - start
            route = route_template(scope, root_path)
            self.metrics.observe(method, route, status, seconds, context)
            _log(method, path, route, status, seconds, context)
            CURRENT.reset(token)


def _log(
    method: str, path: str, route: str, status: int, seconds: float, context: RequestContext
) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    fields: dict[str, object] = {
        "method": method,
        # The path only: a query string may carry personal data.
        "path": path[:_MAX_LOGGED_PATH],
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
    }
    if context.triage_level is not None:
        fields["triage_level"] = context.triage_level
    access_log.info("request", extra=fields)
