"""Security headers on every response, and the Content-Security-Policy for each kind.

The API answers JSON that no browser should render, frame or let scripts read, so it gets
the strictest policy. The documentation pages are real HTML pages that run scripts.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The documentation pages (Swagger UI, ReDoc) and everything below them. Their scripts
# and styles are served by the app itself ('self', no CDN). Both UIs set inline styles,
# ReDoc runs its search in a blob: worker, and Swagger UI's CSS embeds data: images.
DOCS_PATHS = ("/docs", "/redoc")
DOCS_CSP = (
    "default-src 'none'; "
    "script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self' data:; "
    "worker-src 'self' blob:; "
    "connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Answers about a person's health: no browser or intermediary cache may keep them.
NO_STORE_PREFIXES = ("/v1/triage", "/fhir", "/cds-services")
# Encoded once: the headers go on every response.
_DEFAULTS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))
_CSP = b"content-security-policy"
_API_CSP, _DOCS_CSP = API_CSP.encode(), DOCS_CSP.encode()
_NO_STORE = (b"cache-control", b"no-store")


def response_headers(start: Message) -> list[tuple[bytes, bytes]]:
    """The header list of an http.response.start message, as a copy it now holds.

    A copy, because a response object may share its list with the message it sends.
    """
    headers: list[tuple[bytes, bytes]] = list(start["headers"])
    start["headers"] = headers
    return headers


def set_header(headers: list[tuple[bytes, bytes]], name: bytes, value: bytes) -> None:
    """Replace header `name` (lower case) in place, dropping repeats, or append it."""
    found = [index for index, (key, _) in enumerate(headers) if key == name]
    for index in reversed(found[1:]):
        del headers[index]
    if found:
        headers[found[0]] = (name, value)
    else:
        headers.append((name, value))


def route_path(scope: Scope) -> str:
    """The request path without the root path a proxy may mount the service under."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :] or "/"
    return path


def under(path: str, prefixes: Iterable[str]) -> bool:
    """Whether `path` is one of `prefixes` or below one of them (segment-wise)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


class SecurityHeaders:
    """Add nosniff, no-referrer, a CSP and, where answers are personal, no-store."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = route_path(scope)
        csp = _DOCS_CSP if under(path, DOCS_PATHS) else _API_CSP
        no_store = under(path, NO_STORE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = response_headers(message)
                present = {name for name, _ in headers}
                for name, value in _DEFAULTS:
                    if name not in present:
                        headers.append((name, value))
                if _CSP not in present:
                    headers.append((_CSP, csp))
                if no_store:
                    set_header(headers, *_NO_STORE)
            await send(message)

        await self.app(scope, receive, send_with_headers)
