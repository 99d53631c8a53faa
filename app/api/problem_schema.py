"""The RFC 9457 problem-details body, as a documented OpenAPI schema.

app.api.problems builds these bodies by hand; this model only describes them, so that
every error response in the OpenAPI document (and every generated client) has a type.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

REF_TEMPLATE = "#/components/schemas/{model}"
PROBLEM_JSON = "application/problem+json"


VALIDATION_EXAMPLE: dict[str, Any] = {
    "type": "urn:thigh-triage:problem:validation-error",
    "title": "Invalid request",
    "status": 422,
    "detail": "The request has 1 invalid field(s); see `errors`.",
    "errors": [
        {
            "pointer": "/findings/pain_with_siting",
            "message": "Unknown finding id 'pain_with_siting'. Did you mean 'pain_with_sitting'?",
        }
    ],
}


class ProblemError(BaseModel):
    """One invalid field."""

    model_config = ConfigDict(extra="forbid")
    pointer: str = Field(description="JSON Pointer (RFC 6901) into the request body.")
    message: str = Field(description="What is wrong, with a hint where one helps.")


class Problem(BaseModel):
    """An error, as RFC 9457 `application/problem+json`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [VALIDATION_EXAMPLE]})
    type: str = Field(
        description="A URN naming the kind of problem, e.g. "
        "`urn:thigh-triage:problem:validation-error`."
    )
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in plain language.")
    errors: list[ProblemError] | None = Field(
        default=None, description="Present on 400 and 422: each invalid field."
    )
    request_id: str | None = Field(
        default=None, description="The request's X-Request-ID, to find it in the service's logs."
    )


# Drop-in for an operation's `responses` entries: the body is a Problem.
PROBLEM: dict[str, Any] = {
    "content": {PROBLEM_JSON: {"schema": {"$ref": REF_TEMPLATE.format(model="Problem")}}}
}


def problem_components() -> dict[str, Any]:
    """The Problem schemas to merge into the OpenAPI document's `components.schemas`."""
    _, top = models_json_schema([(Problem, "serialization")], ref_template=REF_TEMPLATE)
    definitions: dict[str, Any] = top["$defs"]
    return definitions
