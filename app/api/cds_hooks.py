"""CDS Hooks 2.0: discovery, the posterior-thigh-triage service and its feedback endpoint.

The service reads the answers only from `prefetch.questionnaireResponse` (the resource, or
the searchset Bundle its prefetch template returns); it never calls the client's FHIR
server, so a call without that prefetch key gets 412 Precondition Failed, as the
specification prescribes. Errors are problem+json, like the rest of the API.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError
from starlette.responses import Response

from app.api.cds_cards import build_cards
from app.api.cds_models import (
    Acknowledged,
    Discovery,
    FeedbackRequest,
    HookRequest,
    HookResponse,
    Service,
)
from app.api.fhir_mapping import read_questionnaire_response, to_triage_request, too_deep
from app.api.fhir_outcome import FhirError
from app.api.fhir_questionnaire import CANONICAL_URL, QUESTIONNAIRE_ID
from app.api.present import present, to_case
from app.api.problem_schema import PROBLEM
from app.api.problems import problem_response
from app.api.request_context import record_assessment
from app.api.state import PREPARED
from app.engine import assess

router = APIRouter(prefix="/cds-services", tags=["cds-hooks"])

SERVICE_ID = "posterior-thigh-triage"
HOOK = "patient-view"
PREFETCH_KEY = "questionnaireResponse"
POINTER = f"/prefetch/{PREFETCH_KEY}"

DISCOVERY = Discovery(
    services=[
        Service(
            hook=HOOK,
            title="Posterior thigh pain triage",
            description=(
                "Is this posterior thigh pain really the hamstring? Scores the candidate "
                "sources from the patient's answers to the posterior-thigh-triage "
                "Questionnaire and raises red flags: a critical card for each emergency, a "
                "warning card for each other red flag, and an info card with the likely "
                "sources and what to do."
            ),
            id=SERVICE_ID,
            prefetch={
                PREFETCH_KEY: (
                    "QuestionnaireResponse?patient={{context.patientId}}"
                    f"&questionnaire={CANONICAL_URL}&_sort=-authored&_count=1"
                )
            },
            usage_requirements=(
                f"Needs the patient's latest QuestionnaireResponse to /fhir/Questionnaire/"
                f"{QUESTIONNAIRE_ID} in prefetch.{PREFETCH_KEY}; the service does not query "
                "the FHIR server."
            ),
        )
    ]
)


def _prefetched(call: HookRequest) -> dict[str, Any] | None:
    """The prefetched QuestionnaireResponse, or None when the client has none for the patient."""
    prefetch = call.prefetch or {}
    if PREFETCH_KEY not in prefetch:
        raise HTTPException(
            412,
            f"prefetch.{PREFETCH_KEY} is missing. Send the result of the prefetch template "
            "listed by GET /cds-services; this service does not query the FHIR server.",
        )
    value = prefetch[PREFETCH_KEY]
    if value is None:
        return None
    if not isinstance(value, dict):
        raise HTTPException(
            400, f"prefetch.{PREFETCH_KEY} must be a QuestionnaireResponse or a Bundle."
        )
    kind = value.get("resourceType")
    if kind == "OperationOutcome":
        raise HTTPException(
            412, f"The client could not prefetch {PREFETCH_KEY} (it sent an OperationOutcome)."
        )
    if kind != "Bundle":
        return value
    if too_deep(value):
        raise HTTPException(400, f"prefetch.{PREFETCH_KEY} nests too deeply.")
    try:
        Bundle.model_validate(value)
    except ValidationError as error:
        raise HTTPException(400, f"prefetch.{PREFETCH_KEY} is not a valid Bundle.") from error
    found = [
        entry["resource"]
        for entry in value.get("entry", [])
        if entry.get("resource", {}).get("resourceType") == "QuestionnaireResponse"
    ]
    # The template sorts by -authored, so the first match is the latest.
    return found[0] if found else None


def _patient_id(reference: str) -> str | None:
    # "Patient/123", "https://ehr.example/fhir/Patient/123/_history/2" -> "123"
    parts = reference.split("/")
    return next((parts[i + 1] for i in range(len(parts) - 1) if parts[i] == "Patient"), None)


def _check_patient(call: HookRequest, response: dict[str, Any]) -> None:
    # Cards about another patient's answers would be worse than no cards at all.
    reference = (response.get("subject") or {}).get("reference")
    expected = call.context.get("patientId")
    if not isinstance(reference, str) or not isinstance(expected, str):
        return
    found = _patient_id(reference)
    if found is not None and found != expected:
        raise HTTPException(
            422, f"The QuestionnaireResponse is about Patient/{found}, not Patient/{expected}."
        )


def _invalid_prefetch(error: FhirError) -> Response:
    return problem_response(
        error.status,
        f"prefetch.{PREFETCH_KEY} does not answer the {QUESTIONNAIRE_ID} Questionnaire; "
        "see `errors`.",
        slug="invalid-prefetch",
        errors=[
            {
                "pointer": POINTER,
                "message": f"{issue.expression or 'resource'}: {issue.diagnostics}",
            }
            for issue in error.issues
        ],
    )


@router.get(
    "",
    response_model=Discovery,
    response_model_exclude_none=True,
    summary="CDS Hooks discovery",
)
async def discovery() -> Discovery:
    """The CDS Services this server offers."""
    return DISCOVERY


@router.post(
    f"/{SERVICE_ID}",
    response_model=HookResponse,
    response_model_exclude_none=True,
    summary="Posterior thigh pain triage cards",
    responses={
        400: {"description": "Malformed JSON or prefetch.", **PROBLEM},
        412: {"description": "prefetch.questionnaireResponse missing.", **PROBLEM},
        413: {"description": "Body over 64 KiB.", **PROBLEM},
        415: {"description": "Body is not JSON.", **PROBLEM},
        422: {"description": "Invalid request, answers or patient mismatch.", **PROBLEM},
    },
)
async def posterior_thigh_triage(call: HookRequest, request: Request) -> dict[str, Any] | Response:
    """Cards from the prefetched QuestionnaireResponse (no cards when the client has none)."""
    if call.hook != HOOK:
        # Discovery registers one hook: cards for another (order-sign) would be out of place.
        return problem_response(
            400,
            f"This service answers the {HOOK} hook, not {call.hook[:60]!r}.",
            slug="wrong-hook",
            errors=[{"pointer": "/hook", "message": f"Expected {HOOK!r}."}],
        )
    prefetched = _prefetched(call)
    if prefetched is None:
        return {"cards": []}
    try:
        response = read_questionnaire_response(prefetched)
        triage_request = to_triage_request(response, PREPARED.kb)
    except FhirError as error:
        return _invalid_prefetch(error)
    _check_patient(call, response)
    assessment = record_assessment(present(assess(to_case(triage_request), PREPARED), PREPARED.kb))
    # Card links are absolute: from the configured public URL, never from a Host header a
    # client could set, when there is one.
    base_url = request.app.state.public_url or str(request.base_url)
    return {"cards": build_cards(assessment, PREPARED.kb, base_url, response.get("authored"))}


@router.post(
    f"/{SERVICE_ID}/feedback",
    response_model=Acknowledged,
    summary="Card feedback",
    responses={
        400: {"description": "Malformed JSON.", **PROBLEM},
        413: {"description": "Body over 64 KiB.", **PROBLEM},
        415: {"description": "Body is not JSON.", **PROBLEM},
        422: {"description": "Invalid feedback.", **PROBLEM},
    },
)
async def feedback(body: FeedbackRequest) -> Acknowledged:
    """Accept feedback on cards. The service is stateless: feedback is checked, not stored."""
    return Acknowledged()
