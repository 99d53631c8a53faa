"""Request wire models: the single source of truth for the /v1 request shape (the
response shape is in response_schemas.py).

The finding vocabulary comes from the knowledge base, so the request model is built
from it at import: every finding id is a documented, optional field, and an unknown id
is an `extra_forbidden` error that the problem handler turns into a "did you mean".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic.json_schema import models_json_schema

from app.knowledge.load import default_knowledge_base

KB = default_knowledge_base()

Sex = Literal["female", "male", "other", "unknown"]
Activity = Literal[
    "running", "triathlon", "yoga", "soccer", "sprinting", "dance", "water_skiing", "other"
]

STRICT = ConfigDict(extra="forbid", strict=True)


def _integral_float_to_int(value: object) -> object:
    # JSON Schema counts 34.0 as an integer, so clients generated from our OpenAPI may
    # send it; strings and booleans stay rejected by strict validation.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# An integer as JSON Schema means it: 34 or 34.0, never "34" or true (strict mode).
JsonInt = Annotated[int, BeforeValidator(_integral_float_to_int)]
Age = Annotated[int, Field(ge=10, le=100), BeforeValidator(_integral_float_to_int)]


def _without_default(schema: dict[str, Any]) -> None:
    # Left out and null mean different things (not asked / asked, not known): a "default":
    # null in the schema would invite generated clients to send null for every finding,
    # which reads as "asked everything, knew nothing" and ends the interview.
    schema.pop("default", None)


def _findings_model() -> type[BaseModel]:
    fields: dict[str, object] = {
        finding.id: (
            bool | None,
            Field(
                default=None,
                title=finding.label,
                description=f"{finding.question} [{finding.category}, {finding.audience}]"
                " Leave out until asked; null means asked, not known.",
                json_schema_extra=_without_default,
            ),
        )
        for finding in KB.findings.values()
    }
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        "Findings",
        __config__=STRICT,
        __doc__=(
            "Finding id -> true (present), false (absent) or null (asked, but not known). "
            "A finding left out has not been asked; null and left out both leave the scores "
            "unchanged, but only a left-out finding may be suggested as a next question."
        ),
        **fields,
    )
    return model


if TYPE_CHECKING:
    Findings = BaseModel
else:
    Findings = _findings_model()


class TriageRequest(BaseModel):
    """What a patient, and optionally a clinician, reports about posterior thigh pain."""

    model_config = STRICT

    age: Age | None = Field(default=None, description="Age in years (10-100).")
    sex: Sex | None = Field(default=None, description="Sex, used where evidence supports it.")
    activities: list[Activity] = Field(
        default_factory=list,
        max_length=8,
        description="Sports and activities the person does; they shift some priors.",
    )
    duration_weeks: float | None = Field(
        default=None,
        ge=0,
        le=1040,
        allow_inf_nan=False,
        description=(
            "How long the pain has lasted, in weeks. Send it: exercises after a strain are"
            " staged by it, and a sudden injury without it is staged as a fresh one (the"
            " first days' advice, no loaded exercises yet)."
        ),
    )
    respondent: Literal["patient", "clinician"] = Field(
        default="patient",
        description=(
            "Who answers the next questions. For `patient`, examination tests are suggested "
            "only after every question a patient can answer."
        ),
    )
    findings: Findings = Field(
        default_factory=lambda: Findings(),
        description="Answers so far, keyed by finding id (see GET /v1/findings).",
    )


def request_components(ref_template: str) -> dict[str, Any]:
    """JSON Schemas of the request models, for `components.schemas`.

    /v1/triage validates its body straight from bytes, so FastAPI does not see the model
    as a parameter and would not emit its schema on its own.
    """
    _, top = models_json_schema([(TriageRequest, "validation")], ref_template=ref_template)
    definitions: dict[str, Any] = top["$defs"]
    return definitions
