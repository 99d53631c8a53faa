"""RFC 9457 problem details: the one place where errors become responses."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.api.request_context import current_request_id
from app.api.suggest import did_you_mean
from app.knowledge.load import default_knowledge_base

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:thigh-triage:problem:"


def problem_response(
    status: int, detail: str, *, slug: str | None = None, title: str | None = None, **extra: Any
) -> Response:
    """Build an application/problem+json response."""
    phrase = HTTPStatus(status).phrase
    body = {
        "type": TYPE_PREFIX + (slug or phrase.lower().replace(" ", "-").replace("'", "")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    if (request_id := current_request_id()) is not None:
        body["request_id"] = request_id  # the X-Request-ID, to find this error in the logs
    return Response(
        content=json.dumps(body, ensure_ascii=False, allow_nan=False),
        status_code=status,
        media_type=PROBLEM_JSON,
    )


# A hostile body can hold thousands of bad keys, each kilobytes long: report a bounded
# number of errors, echo bounded keys, and suggest spellings only for plausible ids.
MAX_REPORTED_ERRORS = 20
MAX_ECHOED_CHARS = 100
MAX_SUGGESTED_KEY_CHARS = 64


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ECHOED_CHARS else text[:MAX_ECHOED_CHARS] + "..."


def json_pointer(loc: Sequence[int | str]) -> str:
    """JSON Pointer (RFC 6901) into the request body for a pydantic error location."""
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    escaped = (_clip(str(p)).replace("~", "~0").replace("/", "~1") for p in parts)
    return "".join("/" + p for p in escaped)


def _did_you_mean(word: str, vocabulary: Iterable[str]) -> str:
    return "" if len(word) > MAX_SUGGESTED_KEY_CHARS else did_you_mean(word, vocabulary)


def error_message(error: dict[str, Any]) -> str:
    """A pydantic error in plain words, with "did you mean" for unknown finding ids."""
    loc = error.get("loc", ())
    if error.get("type") == "extra_forbidden" and loc:
        key = _clip(str(loc[-1]))
        if len(loc) >= 3 and loc[-2] == "findings":
            vocabulary: Iterable[str] = default_knowledge_base().findings
            hint = _did_you_mean(key, vocabulary) or " See GET /v1/findings for the catalogue."
            return f"Unknown finding id '{key}'.{hint}"
        return f"Unknown field '{key}'."
    return str(error.get("msg", "Invalid value."))


async def _validation(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):  # registered for this type only
        raise exc
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem_response(
            400,
            "The request body is not valid JSON.",
            slug="malformed-json",
            errors=[{"pointer": "", "message": "Send a JSON object; check quotes and commas."}],
        )
    items = [
        {"pointer": json_pointer(e.get("loc", ())), "message": error_message(e)}
        for e in errors[:MAX_REPORTED_ERRORS]
    ]
    return problem_response(
        422,
        f"The request has {len(errors)} invalid field(s); see `errors`"
        + (f" (the first {len(items)})." if len(errors) > len(items) else "."),
        slug="validation-error",
        title="Invalid request",
        errors=items,
    )


async def _http(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):  # registered for this type only
        raise exc
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    response = problem_response(exc.status_code, detail)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Never leak internals: the type and message of an unexpected error stay server-side.
    return problem_response(500, "An unexpected error occurred. It has been logged.")


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error the app can raise through problem+json."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
