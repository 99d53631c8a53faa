"""Build FHIR QuestionnaireResponses and /v1 requests from vignette cases, independently of
the app's mapping code, so the round-trip tests check the mapping rather than reuse it."""

from __future__ import annotations

from typing import Any

from app.engine import Case
from app.knowledge.load import default_knowledge_base

FHIR_JSON = "application/fhir+json"
ADMINISTRATIVE_GENDER = "http://hl7.org/fhir/administrative-gender"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
QUESTIONNAIRE = "urn:thigh-triage:questionnaire:posterior-thigh-triage"


def triage_body(case: Case) -> dict[str, Any]:
    """The POST /v1/triage body for a case."""
    body: dict[str, Any] = {
        "findings": dict(case.findings),
        "activities": sorted(case.activities),
        "respondent": case.respondent,
    }
    if case.age is not None:
        body["age"] = case.age
    if case.sex is not None:
        body["sex"] = case.sex
    if case.duration_weeks is not None:
        body["duration_weeks"] = case.duration_weeks
    return body


def _coding(system: str, code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code}}


def _finding_item(finding: str, value: bool | None) -> dict[str, Any]:
    if value is None:
        return {
            "linkId": finding,
            "extension": [{"url": DATA_ABSENT_REASON, "valueCode": "asked-unknown"}],
        }
    return {"linkId": finding, "answer": [{"valueBoolean": value}]}


def questionnaire_response(case: Case, subject: str | None = "Patient/p1") -> dict[str, Any]:
    """A QuestionnaireResponse giving the case's answers, findings grouped by category."""
    items: list[dict[str, Any]] = []
    if case.age is not None:
        items.append({"linkId": "age", "answer": [{"valueInteger": case.age}]})
    if case.sex is not None:
        items.append({"linkId": "sex", "answer": [_coding(ADMINISTRATIVE_GENDER, case.sex)]})
    if case.duration_weeks is not None:
        items.append(
            {"linkId": "duration_weeks", "answer": [{"valueDecimal": case.duration_weeks}]}
        )
    if case.activities:
        items.append(
            {
                "linkId": "activities",
                "answer": [
                    _coding("urn:thigh-triage:activity", a) for a in sorted(case.activities)
                ],
            }
        )
    items.append(
        {
            "linkId": "respondent",
            "answer": [_coding("urn:thigh-triage:respondent", case.respondent)],
        }
    )
    findings = default_knowledge_base().findings
    groups: dict[str, list[dict[str, Any]]] = {}
    for finding, value in case.findings.items():
        groups.setdefault(findings[finding].category, []).append(_finding_item(finding, value))
    items += [{"linkId": category, "item": group} for category, group in groups.items()]
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "authored": "2024-05-01T10:00:00Z",
        "item": items,
    }
    if subject is not None:
        response["subject"] = {"reference": subject}
    return response
