"""API keys: X-API-Key on every /v1, /fhir and /cds-services call, when keys are configured.

The check is a plain ASGI middleware in front of routing and body parsing, so a caller
without a key cannot make the service read a body. Health, metrics and the documentation
stay open for probes, scrapers and developers.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.fhir_openapi import OUTCOME
from app.api.problem_schema import PROBLEM
from app.api.problems import problem_response
from app.api.security import route_path, under

API_KEY_HEADER = "X-API-Key"
PROTECTED_PREFIXES = ("/v1", "/fhir", "/cds-services")
SCHEME = "ApiKey"


class ApiKeyAuth:
    """Refuse protected calls whose X-API-Key matches none of the configured keys."""

    def __init__(self, app: ASGIApp, keys: Iterable[str]) -> None:
        self.app = app
        self.keys = tuple(key.encode() for key in keys)

    def _accepts(self, presented: bytes) -> bool:
        # Compare against every key, without stopping at a match, each in constant time:
        # the response time then says nothing about how close a guess was, or which key.
        matched = False
        for key in self.keys:
            matched |= hmac.compare_digest(presented, key)
        return matched

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not under(route_path(scope), PROTECTED_PREFIXES):
            await self.app(scope, receive, send)
            return
        presented = next((v for k, v in scope["headers"] if k == b"x-api-key"), b"")
        if self._accepts(presented):
            await self.app(scope, receive, send)
            return
        response = problem_response(
            401,
            f"Send a valid API key in the {API_KEY_HEADER} header.",
            slug="unauthorized",
        )
        response.headers["WWW-Authenticate"] = f'{SCHEME} header="{API_KEY_HEADER}"'
        await response(scope, receive, send)


def _protect(schema: dict[str, Any]) -> None:
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[SCHEME] = {
        "type": "apiKey",
        "in": "header",
        "name": API_KEY_HEADER,
        "description": (
            "Required on /v1, /fhir and /cds-services when the service is configured with "
            "API keys (THIGH_TRIAGE_API_KEYS); ignored otherwise."
        ),
    }
    for path, operations in schema.get("paths", {}).items():
        if not under(path, PROTECTED_PREFIXES):
            continue
        for operation in operations.values():
            if not isinstance(operation, dict):  # a path-level parameter list
                continue
            operation["security"] = [{SCHEME: []}]
            # Under /fhir every error is an OperationOutcome (FhirOutcomes middleware).
            body = OUTCOME if under(path, ("/fhir",)) else PROBLEM
            operation.setdefault("responses", {})["401"] = {
                "description": f"Missing or unknown {API_KEY_HEADER}.",
                **body,
            }


def document_api_key(app: FastAPI) -> None:
    """Declare the X-API-Key scheme in the OpenAPI document, whatever the settings.

    The document is the same with authentication on or off, so the committed contract
    does not depend on the environment it was generated in.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        schema = generate()
        if first:
            _protect(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
