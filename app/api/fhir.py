"""FHIR R4 routes: the CapabilityStatement, the triage Questionnaire and $assess.

POST /fhir/QuestionnaireResponse/$assess returns a bare RiskAssessment (not a Bundle): its
`basis` points at the client's QuestionnaireResponse by id (and identifier) when it has
them, and its extensions, `mitigation` and `note` carry the triage level and red flags.
Every error on these routes is an OperationOutcome (application/fhir+json).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.api.fhir_capability import build_capability_statement
from app.api.fhir_mapping import read_questionnaire_response, to_triage_request
from app.api.fhir_openapi import OUTCOME, REQUEST_BODY, fhir_content
from app.api.fhir_outcome import FhirError, FhirJSONResponse, Issue, outcome_response
from app.api.fhir_questionnaire import QUESTIONNAIRE_ID, build_questionnaire
from app.api.fhir_risk import build_risk_assessment
from app.api.present import present, to_case
from app.api.request_context import record_assessment
from app.api.state import PREPARED
from app.engine import assess

router = APIRouter(prefix="/fhir", tags=["fhir"])

# Generated once: the knowledge base is fixed for the life of the process.
QUESTIONNAIRE = build_questionnaire(PREPARED.kb)
CAPABILITY_STATEMENT = build_capability_statement(PREPARED.kb)


def _reject_constant(name: str) -> float:
    # json.loads accepts NaN and Infinity, which are not JSON (RFC 8259) and not FHIR.
    raise ValueError(f"{name} is not valid JSON")


def _parse(body: bytes) -> object:
    try:
        return json.loads(body, parse_constant=_reject_constant)
    # RecursionError: the decoder gives up on absurdly nested arrays or objects.
    except (ValueError, RecursionError) as error:
        raise FhirError(
            400, [Issue("structure", f"The body is not valid JSON: {error}.")]
        ) from error


@router.get(
    "/metadata",
    response_class=FhirJSONResponse,
    summary="The CapabilityStatement (FHIR R4)",
    responses={
        200: {
            "description": "What this FHIR endpoint supports.",
            **fhir_content("CapabilityStatement", "A FHIR R4 CapabilityStatement."),
        }
    },
)
async def capability_statement() -> Response:
    """What this endpoint offers: the Questionnaire (read) and $assess, in JSON."""
    return FhirJSONResponse(CAPABILITY_STATEMENT)


@router.get(
    f"/Questionnaire/{QUESTIONNAIRE_ID}",
    response_class=FhirJSONResponse,
    summary="The triage Questionnaire (FHIR R4)",
    responses={
        200: {
            "description": "The Questionnaire.",
            **fhir_content("Questionnaire", "A FHIR R4 Questionnaire."),
        }
    },
)
async def questionnaire() -> Response:
    """The Questionnaire `posterior-thigh-triage`, generated from the finding catalogue.

    linkIds are the /v1/triage field names: age, sex, duration_weeks, activities,
    respondent, and every finding id (boolean), grouped by category.
    """
    return FhirJSONResponse(QUESTIONNAIRE)


@router.post(
    "/QuestionnaireResponse/$assess",
    response_class=FhirJSONResponse,
    summary="Assess a QuestionnaireResponse (FHIR R4)",
    openapi_extra={"requestBody": REQUEST_BODY},
    responses={
        200: {
            "description": "The assessment.",
            **fhir_content("RiskAssessment", "A FHIR R4 RiskAssessment."),
        },
        400: {"description": "Not JSON, or not a valid QuestionnaireResponse.", **OUTCOME},
        413: {"description": "Body over 64 KiB.", **OUTCOME},
        415: {"description": "Body is not JSON.", **OUTCOME},
        422: {"description": "Unknown linkId, wrong answer type or value.", **OUTCOME},
    },
)
async def assess_response(request: Request) -> Response:
    """Assess the answers and return a RiskAssessment with one prediction per source.

    Each `probabilityDecimal` equals the probability /v1/triage gives for the same
    answers; the triage level and red flags are in the extensions, `mitigation` and `note`.
    """
    try:
        response = read_questionnaire_response(_parse(await request.body()))
        triage_request = to_triage_request(response, PREPARED.kb)
    except FhirError as error:
        return outcome_response(error)
    assessment = record_assessment(present(assess(to_case(triage_request), PREPARED), PREPARED.kb))
    return FhirJSONResponse(build_risk_assessment(assessment, response))
