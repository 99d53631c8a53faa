"""What the OpenAPI document says about the FHIR routes: body schemas and an example.

The schemas describe the outline of each resource; the full rules are FHIR R4's, checked
by the R4B models at run time, and the Questionnaire's, checked by the mapping.
"""

from __future__ import annotations

from typing import Any

from app.api.fhir_mapping import STATUSES
from app.api.fhir_outcome import FHIR_JSON
from app.api.fhir_questionnaire import CANONICAL_URL, SEX_SYSTEM


def _resource(resource_type: str, description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": ["resourceType"],
        "properties": {"resourceType": {"const": resource_type}},
    }


QUESTIONNAIRE_RESPONSE: dict[str, Any] = {
    "type": "object",
    "description": (
        "A FHIR R4 QuestionnaireResponse to posterior-thigh-triage. Leave out an item (or "
        "give it no answer) when the question was not asked; mark 'asked, but not known' with "
        "the data-absent-reason extension, valueCode asked-unknown, on the item itself (not on "
        "an answer)."
    ),
    "required": ["resourceType", "status"],
    "properties": {
        "resourceType": {"const": "QuestionnaireResponse"},
        "status": {"enum": list(STATUSES)},
        "questionnaire": {"type": "string", "examples": [CANONICAL_URL]},
        "subject": {"type": "object", "description": "Reference to the patient."},
        "item": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["linkId"],
                "properties": {
                    "linkId": {"type": "string"},
                    "extension": {
                        "type": "array",
                        "description": "data-absent-reason asked-unknown: asked, not known.",
                        "items": {"type": "object"},
                    },
                    "answer": {
                        "type": "array",
                        "description": "One answer: valueBoolean for a finding, valueInteger"
                        " (age), valueDecimal (duration_weeks) or valueCoding (sex, activities,"
                        " respondent; activities may repeat).",
                        "items": {
                            "type": "object",
                            "properties": {
                                "valueBoolean": {"type": "boolean"},
                                "valueInteger": {"type": "integer"},
                                "valueDecimal": {"type": "number"},
                                "valueCoding": {
                                    "type": "object",
                                    "properties": {
                                        "system": {"type": "string"},
                                        "code": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def _yes_no(answers: dict[str, bool]) -> list[dict[str, Any]]:
    return [
        {"linkId": finding, "answer": [{"valueBoolean": value}]}
        for finding, value in answers.items()
    ]


ASSESS_EXAMPLE: dict[str, Any] = {
    "resourceType": "QuestionnaireResponse",
    "id": "example-sitting-pain",
    "questionnaire": CANONICAL_URL,
    "status": "completed",
    "subject": {"reference": "Patient/example"},
    "authored": "2024-05-01T10:00:00Z",
    "item": [
        {"linkId": "age", "answer": [{"valueInteger": 34}]},
        {"linkId": "sex", "answer": [{"valueCoding": {"system": SEX_SYSTEM, "code": "female"}}]},
        {"linkId": "duration_weeks", "answer": [{"valueDecimal": 10}]},
        {
            "linkId": "history",
            "item": _yes_no(
                {
                    "deep_buttock_pain": True,
                    "pelvic_floor_symptoms": True,
                    "treated_as_hamstring_without_improvement": True,
                }
            ),
        },
        {
            "linkId": "aggravating",
            "item": _yes_no({"pain_with_sitting": True, "relief_on_standing": True}),
        },
        {
            "linkId": "red_flag_screen",
            "item": _yes_no({"saddle_numbness": False, "bladder_or_bowel_change": False}),
        },
    ],
}

REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": "A FHIR R4 QuestionnaireResponse answering posterior-thigh-triage.",
    "content": {
        media: {"schema": QUESTIONNAIRE_RESPONSE, "example": ASSESS_EXAMPLE}
        for media in (FHIR_JSON, "application/json")
    },
}


def fhir_content(resource_type: str, description: str) -> dict[str, Any]:
    """An OpenAPI `content` entry for a FHIR resource of `resource_type`."""
    return {"content": {FHIR_JSON: {"schema": _resource(resource_type, description)}}}


OUTCOME = fhir_content("OperationOutcome", "A FHIR R4 OperationOutcome.")
