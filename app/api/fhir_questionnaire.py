"""The FHIR R4 Questionnaire generated from the knowledge base.

Its linkIds are the /v1/triage request's field names (age, sex, duration_weeks,
activities, respondent, and every finding id), so a QuestionnaireResponse maps onto a
TriageRequest one item at a time.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from app.api.schemas import TriageRequest
from app.knowledge.model import Category, Finding, KnowledgeBase

QUESTIONNAIRE_ID = "posterior-thigh-triage"
CANONICAL_URL = f"urn:thigh-triage:questionnaire:{QUESTIONNAIRE_ID}"

SEX_SYSTEM = "http://hl7.org/fhir/administrative-gender"
ACTIVITY_SYSTEM = "urn:thigh-triage:activity"
RESPONDENT_SYSTEM = "urn:thigh-triage:respondent"
FINDING_SYSTEM = "urn:thigh-triage:finding"
AUDIENCE_EXTENSION = "urn:thigh-triage:extension:audience"
RESPONDENTS = ("patient", "clinician")

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"

CATEGORY_TITLES: dict[Category, str] = {
    "history": "History and pain pattern",
    "aggravating": "What makes it worse or better",
    "exam": "Examination (for a clinician)",
    "red_flag_screen": "Safety screen",
}


def _bounds(field: str) -> tuple[float, float]:
    # Read the limits from the /v1 request schema so the two contracts cannot drift.
    schema = TriageRequest.model_json_schema()["properties"][field]
    bounded = next(option for option in schema.get("anyOf", [schema]) if "minimum" in option)
    return float(bounded["minimum"]), float(bounded["maximum"])


def _coding(system: str, code: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": code.replace("_", " ").capitalize()}


def _choice(link_id: str, text: str, system: str, codes: tuple[str, ...]) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "text": text,
        "type": "choice",
        "required": False,
        "answerOption": [{"valueCoding": _coding(system, code)} for code in codes],
    }


def _about(kb: KnowledgeBase) -> list[dict[str, Any]]:
    age_low, age_high = _bounds("age")
    weeks_low, weeks_high = _bounds("duration_weeks")
    respondent = _choice("respondent", "Who is answering?", RESPONDENT_SYSTEM, RESPONDENTS)
    respondent["answerOption"][0]["initialSelected"] = True
    return [
        {
            "linkId": "age",
            "text": "Age (years)",
            "type": "integer",
            "required": False,
            "extension": [
                {"url": MIN_VALUE, "valueInteger": int(age_low)},
                {"url": MAX_VALUE, "valueInteger": int(age_high)},
            ],
        },
        _choice("sex", "Sex", SEX_SYSTEM, kb.sexes),
        {
            "linkId": "duration_weeks",
            "text": "How long has the pain lasted (weeks)?",
            "type": "decimal",
            "required": False,
            "extension": [
                {"url": MIN_VALUE, "valueDecimal": weeks_low},
                {"url": MAX_VALUE, "valueDecimal": weeks_high},
                {
                    "url": UNIT,
                    "valueCoding": {
                        "system": "http://unitsofmeasure.org",
                        "code": "wk",
                        "display": "weeks",
                    },
                },
            ],
        },
        {
            **_choice("activities", "Sports and activities", ACTIVITY_SYSTEM, kb.activities),
            "repeats": True,
        },
        respondent,
    ]


def _enable_when(finding: Finding) -> dict[str, Any]:
    """enableWhen for a question that an earlier answer makes moot: shown unless the
    question it depends on was answered "no" (only_if), one that rules it out was
    answered "yes" (moot_if) or the sex was given as one it is not asked of
    (moot_for_sex). '!=' holds while there is no such answer."""
    conditions: list[dict[str, Any]] = [
        {"question": question, "operator": "!=", "answerBoolean": answer}
        for question, answer in (
            *([(finding.only_if, False)] if finding.only_if else []),
            *((other, True) for other in finding.moot_if),
        )
    ]
    conditions += [
        {"question": "sex", "operator": "!=", "answerCoding": _coding(SEX_SYSTEM, sex)}
        for sex in finding.moot_for_sex
    ]
    if not conditions:
        return {}
    return {"enableWhen": conditions, **({"enableBehavior": "all"} if len(conditions) > 1 else {})}


def _groups(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
        {
            "linkId": category,
            "text": title,
            "type": "group",
            "required": False,
            "item": [
                {
                    "linkId": finding.id,
                    "text": finding.question,
                    "type": "boolean",
                    "required": False,
                    "code": [
                        {"system": FINDING_SYSTEM, "code": finding.id, "display": finding.label}
                    ],
                    "extension": [{"url": AUDIENCE_EXTENSION, "valueCode": finding.audience}],
                    **_enable_when(finding),
                }
                for finding in kb.findings.values()
                if finding.category == category
            ],
        }
        for category, title in CATEGORY_TITLES.items()
    ]


def build_questionnaire(kb: KnowledgeBase) -> dict[str, Any]:
    """The Questionnaire for the current knowledge base, checked against the R4B model."""
    document: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": CANONICAL_URL,
        "version": kb.policy.knowledge_base_version,
        "name": "PosteriorThighTriage",
        "title": "Posterior thigh pain triage",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "thigh-triage",
        "description": (
            "Questions for posterior thigh pain: is it the hamstring, and if not, what is it? "
            "Submit the answers to POST /fhir/QuestionnaireResponse/$assess. Leave a question "
            "out when it was not asked. " + kb.policy.disclaimer
        ),
        "item": _about(kb) + _groups(kb),
    }
    Questionnaire.model_validate(document)
    return document
