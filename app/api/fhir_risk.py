"""The /v1 assessment document -> a FHIR R4 RiskAssessment.

One prediction per source carries the very probability /v1/triage returns (the rounded
wire value, not the engine's float), so the two interfaces never disagree. The triage
level and red flags are machine-readable extensions, and readable text in `mitigation`
and `note`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.riskassessment import RiskAssessment

SOURCE_SYSTEM = "urn:thigh-triage:source"
BAND_SYSTEM = "urn:thigh-triage:band"
LEVEL_SYSTEM = "urn:thigh-triage:triage-level"
RED_FLAG_SYSTEM = "urn:thigh-triage:red-flag"
METHOD_SYSTEM = "urn:thigh-triage:method"
LEVEL_EXTENSION = "urn:thigh-triage:extension:triage-level"
RED_FLAG_EXTENSION = "urn:thigh-triage:extension:red-flag"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"

# Bands mapped onto the HL7 risk-probability codes, so generic FHIR clients can sort them.
HL7_RISK = {"likely": "high", "possible": "moderate", "unlikely": "low"}


def _subject(response: dict[str, Any]) -> dict[str, Any]:
    # RiskAssessment.subject is 1..1 in R4 while QuestionnaireResponse.subject is optional.
    return response.get("subject") or {"display": "The person who answered the questionnaire"}


def _basis(response: dict[str, Any]) -> dict[str, Any]:
    basis: dict[str, Any] = {
        "type": "QuestionnaireResponse",
        "display": "Answers to the posterior thigh pain triage questionnaire",
    }
    if response.get("id"):
        basis["reference"] = f"QuestionnaireResponse/{response['id']}"
    if response.get("identifier"):
        basis["identifier"] = response["identifier"]
    return basis


def _prediction(source: dict[str, Any]) -> dict[str, Any]:
    band = source["band"]
    return {
        "outcome": {
            "coding": [{"system": SOURCE_SYSTEM, "code": source["id"], "display": source["name"]}],
            "text": source["name"],
        },
        "probabilityDecimal": source["probability"],
        "qualitativeRisk": {
            "coding": [
                {"system": BAND_SYSTEM, "code": band, "display": band.capitalize()},
                {"system": RISK_PROBABILITY, "code": HL7_RISK[band]},
            ],
            "text": band,
        },
        "rationale": source["rationale"],
    }


def _extensions(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    level = assessment["triage"]["level"]
    extensions = [
        {
            "url": LEVEL_EXTENSION,
            "valueCoding": {
                "system": LEVEL_SYSTEM,
                "code": level,
                "display": level.replace("_", " ").capitalize(),
            },
        }
    ]
    extensions += [
        {
            "url": RED_FLAG_EXTENSION,
            "valueCoding": {"system": RED_FLAG_SYSTEM, "code": flag["id"], "display": flag["name"]},
        }
        for flag in assessment["red_flags"]
    ]
    return extensions


def _notes(assessment: dict[str, Any]) -> list[dict[str, str]]:
    triage = assessment["triage"]
    reasons = "".join(f"\n- {reason}" for reason in triage["reasons"])
    notes = [f"**Triage level: {triage['level']}.** {triage['advice']}{reasons}"]
    notes += [
        f"**Red flag: {flag['name']}** ({flag['level']}). {flag['action']}"
        for flag in assessment["red_flags"]
    ]
    notes.append(f"**Is it the hamstring?** {assessment['hamstring_check']['explanation']}")
    if not assessment["coverage"]["in_scope"]:
        notes.append(assessment["coverage"]["note"])
    notes.append(assessment["meta"]["disclaimer"])
    return [{"text": note} for note in notes]


def build_risk_assessment(assessment: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """The RiskAssessment for a presented assessment of `response`, checked against R4B."""
    meta = assessment["meta"]
    actions = "".join(f"\n\n{flag['action']}" for flag in assessment["red_flags"])
    # The level's advice points to "the advice below": list it, by name.
    advice = "".join(f"\n- {item['name']}" for item in assessment["recommendations"])
    document: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "extension": _extensions(assessment),
        # An interview still under way gives a provisional answer.
        "status": "preliminary" if response.get("status") == "in-progress" else "final",
        "method": {
            "coding": [{"system": METHOD_SYSTEM, "code": "thigh-triage"}],
            "text": (
                f"thigh-triage {meta['engine_version']} (knowledge base "
                f"{meta['knowledge_base_version']}): each source scored from a cited prior "
                "and likelihood ratios"
            ),
        },
        "code": {"text": "Source of posterior thigh pain"},
        "subject": _subject(response),
        **({"encounter": response["encounter"]} if response.get("encounter") else {}),
        "occurrenceDateTime": datetime.now(UTC).isoformat(timespec="seconds"),
        "performer": {"display": f"thigh-triage {meta['engine_version']}"},
        "basis": [_basis(response)],
        "prediction": [_prediction(source) for source in assessment["sources"]],
        "mitigation": assessment["triage"]["advice"] + actions + advice,
        "note": _notes(assessment),
    }
    RiskAssessment.model_validate(document)
    return document
