"""FHIR errors: OperationOutcome bodies, the application/fhir+json response class, and a
middleware that keeps problem+json off the /fhir routes.

FHIR clients parse errors as OperationOutcome resources, so everything under /fhir answers
in that form: errors the FHIR routes raise themselves (FhirError) and errors produced
before routing (body limits, unknown paths, wrong methods) alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fhir.resources.R4B.operationoutcome import OperationOutcome
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import PROBLEM_JSON
from app.api.security import route_path, under

FHIR_JSON = "application/fhir+json"
FHIR_PREFIX = "/fhir"

# The subset of the R4 issue-type value set (http://hl7.org/fhir/issue-type) used here.
IssueCode = Literal[
    "invalid",
    "structure",
    "value",
    "not-found",
    "not-supported",
    "too-long",
    "login",
    "forbidden",
    "throttled",
    "exception",
]

_CODE_BY_STATUS: dict[int, IssueCode] = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    413: "too-long",
    415: "not-supported",
    422: "invalid",
    429: "throttled",
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One OperationOutcome issue; `expression` is a FHIRPath into the submitted resource."""

    code: IssueCode
    diagnostics: str
    expression: str | None = None


class FhirError(Exception):
    """A request the FHIR routes refuse, with the HTTP status and the issues to report."""

    def __init__(self, status: int, issues: Sequence[Issue]) -> None:
        super().__init__("; ".join(issue.diagnostics for issue in issues))
        self.status = status
        self.issues = tuple(issues)


class FhirJSONResponse(JSONResponse):
    """A JSON response labelled application/fhir+json."""

    media_type = FHIR_JSON


def operation_outcome(issues: Sequence[Issue]) -> dict[str, Any]:
    """Render issues as an R4 OperationOutcome, checked against the R4B model."""
    document: dict[str, Any] = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": issue.code,
                "diagnostics": issue.diagnostics,
                **({"expression": [issue.expression]} if issue.expression else {}),
            }
            for issue in issues
        ],
    }
    OperationOutcome.model_validate(document)
    return document


def outcome_response(error: FhirError) -> Response:
    """The OperationOutcome response for a refused FHIR request."""
    return FhirJSONResponse(operation_outcome(error.issues), status_code=error.status)


def _problem_to_outcome(status: int, body: bytes) -> bytes:
    try:
        problem = json.loads(body)
        detail = str(problem.get("detail") or problem.get("title") or "")
    except (ValueError, AttributeError):
        detail = ""
    code = _CODE_BY_STATUS.get(status, "exception" if status >= 500 else "invalid")
    outcome = operation_outcome([Issue(code, detail or f"HTTP {status}")])
    return json.dumps(outcome, ensure_ascii=False).encode()


def _is_problem(start: Message) -> bool:
    for name, value in start.get("headers", []):
        if name.lower() == b"content-type":
            return bool(value.decode("latin-1").startswith(PROBLEM_JSON))
    return False


class FhirOutcomes:
    """Rewrite problem+json responses on /fhir paths as OperationOutcome resources.

    Problem documents are small and sent in one piece, so buffering one is cheap; every
    other response passes through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not under(route_path(scope), (FHIR_PREFIX,)):
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and _is_problem(message):
                held = message
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = _problem_to_outcome(held["status"], b"".join(chunks))
            headers = [
                (name, value)
                for name, value in held.get("headers", [])
                if name.lower() not in (b"content-type", b"content-length")
            ]
            headers += [
                (b"content-type", FHIR_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({**held, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)
