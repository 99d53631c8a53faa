"""POST /v1/triage: the assessment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from app.api.examples import TRIAGE_EXAMPLES
from app.api.present import present, to_case
from app.api.problem_schema import PROBLEM
from app.api.request_context import record_assessment
from app.api.response_examples import TRIAGE_OK
from app.api.schemas import TriageRequest, TriageResponse
from app.api.state import PREPARED
from app.engine import assess

router = APIRouter(prefix="/v1", tags=["triage"])


@router.post(
    "/triage",
    response_model=TriageResponse,
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
async def triage(
    request: Annotated[TriageRequest, Body(openapi_examples=TRIAGE_EXAMPLES)],
) -> dict[str, Any]:
    """Assess one case."""
    return record_assessment(present(assess(to_case(request), PREPARED), PREPARED.kb))
