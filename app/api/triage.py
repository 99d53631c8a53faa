"""POST /v1/triage: the assessment.

The hot path of every interview: the body is validated straight from bytes and the
answer serialized straight to bytes, so no JSON is parsed or validated twice.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import Response

from app.api.examples import TRIAGE_EXAMPLES
from app.api.present import evidence_json, present, to_case
from app.api.problem_schema import PROBLEM, REF_TEMPLATE
from app.api.request_context import record_assessment
from app.api.response_examples import TRIAGE_OK
from app.api.response_schemas import TriageResponse
from app.api.schemas import TriageRequest
from app.api.state import PREPARED
from app.engine import assess

router = APIRouter(prefix="/v1", tags=["triage"])

REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"$ref": REF_TEMPLATE.format(model=TriageRequest.__name__)},
            "examples": TRIAGE_EXAMPLES,
        }
    },
}


@router.post(
    "/triage",
    # Documents the 200 body; the route returns bytes, so FastAPI does not re-validate
    # them (tests check every response against this schema instead).
    response_model=TriageResponse,
    openapi_extra={"requestBody": REQUEST_BODY},
    summary="Assess posterior thigh pain",
    description=(
        "Scores every candidate tissue source independently (prior odds x likelihood "
        "ratios), applies red-flag rules (which always win over scores), sets a triage "
        "level, recommends exercises and advice, and suggests the next questions. Call it "
        "again after each answer to run an adaptive interview."
    ),
    responses={
        200: TRIAGE_OK,
        400: {"description": "Malformed JSON.", **PROBLEM},
        413: {"description": "Body over 64 KiB.", **PROBLEM},
        415: {"description": "Body is not JSON.", **PROBLEM},
        422: {"description": "Invalid fields, with JSON pointers and hints.", **PROBLEM},
    },
)
async def triage(request: Request) -> Response:
    """Assess one case."""
    try:
        payload = TriageRequest.model_validate_json(await request.body())
    except ValidationError as error:
        # The same errors FastAPI would raise, located in the body.
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None
    result = record_assessment(answer(payload))
    return Response(orjson.dumps(result), media_type="application/json")


def answer(payload: TriageRequest) -> dict[str, Any]:
    """The TriageResponse document for a validated request, ready for orjson."""
    # The document is only serialized, so evidence goes in already serialized.
    return present(assess(to_case(payload), PREPARED), PREPARED.kb, evidence_json)
