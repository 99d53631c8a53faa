"""FHIR R4: the generated Questionnaire, $assess round trips against /v1/triage, and every
kind of bad FHIR answered with an OperationOutcome."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.riskassessment import RiskAssessment

from app.api.fhir_mapping import read_questionnaire_response, to_triage_request
from app.engine import Case
from app.knowledge.model import KnowledgeBase
from tests.api.fhir_support import (
    ADMINISTRATIVE_GENDER,
    DATA_ABSENT_REASON,
    FHIR_JSON,
    questionnaire_response,
    triage_body,
)
from tests.vignettes import Vignette, load_vignettes

pytestmark = pytest.mark.anyio
QUESTIONNAIRE_PATH = "/fhir/Questionnaire/posterior-thigh-triage"
ASSESS = "/fhir/QuestionnaireResponse/$assess"
VIGNETTES = load_vignettes()
LEVEL_EXTENSION = "urn:thigh-triage:extension:triage-level"
RED_FLAG_EXTENSION = "urn:thigh-triage:extension:red-flag"


async def assess(
    client: httpx.AsyncClient, body: Any, content_type: str = FHIR_JSON
) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.post(ASSESS, content=content, headers={"content-type": content_type})


def items(questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item, depth first."""
    found: list[dict[str, Any]] = []
    for item in questionnaire["item"]:
        found.append(item)
        found += items(item) if "item" in item else []
    return found


def outcome(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(FHIR_JSON)
    document: dict[str, Any] = response.json()
    OperationOutcome.model_validate(document)
    assert document["issue"]
    assert all(i["severity"] == "error" for i in document["issue"])
    return document


async def test_capability_statement_lists_what_the_endpoint_does(
    client: httpx.AsyncClient, kb: KnowledgeBase
) -> None:
    response = await client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FHIR_JSON)
    document = response.json()
    CapabilityStatement.model_validate(document)
    assert document["version"] == kb.policy.knowledge_base_version
    assert document["date"] == kb.policy.released.isoformat()
    assert document["format"] == ["json"]
    (rest,) = document["rest"]
    resources = {r["type"]: r for r in rest["resource"]}
    assert resources["Questionnaire"]["interaction"] == [{"code": "read"}]
    assert [o["name"] for o in resources["QuestionnaireResponse"]["operation"]] == ["assess"]
    # Everything it advertises answers.
    assert (await client.get(QUESTIONNAIRE_PATH)).status_code == 200


async def test_questionnaire_is_valid_r4_and_versioned(
    client: httpx.AsyncClient, kb: KnowledgeBase
) -> None:
    response = await client.get(QUESTIONNAIRE_PATH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FHIR_JSON)
    document = response.json()
    Questionnaire.model_validate(document)
    assert document["id"] == "posterior-thigh-triage"
    assert document["status"] == "active"
    assert document["version"] == kb.policy.knowledge_base_version
    link_ids = [item["linkId"] for item in items(document)]
    assert len(link_ids) == len(set(link_ids))


async def test_questionnaire_has_a_boolean_item_per_finding_grouped_by_category(
    client: httpx.AsyncClient, kb: KnowledgeBase
) -> None:
    document = (await client.get(QUESTIONNAIRE_PATH)).json()
    groups = {item["linkId"]: item for item in document["item"] if item["type"] == "group"}
    assert set(groups) == {"history", "aggravating", "exam", "red_flag_screen"}
    seen: set[str] = set()
    for category, group in groups.items():
        for item in group["item"]:
            finding = kb.findings[item["linkId"]]
            assert item["type"] == "boolean"
            assert finding.category == category
            assert item["text"] == finding.question
            assert item["extension"][0]["valueCode"] == finding.audience
            seen.add(finding.id)
    assert seen == set(kb.findings)


async def test_questionnaire_asks_the_request_fields(
    client: httpx.AsyncClient, kb: KnowledgeBase
) -> None:
    document = (await client.get(QUESTIONNAIRE_PATH)).json()
    top = {item["linkId"]: item for item in document["item"] if item["type"] != "group"}
    assert {k: v["type"] for k, v in top.items()} == {
        "age": "integer",
        "sex": "choice",
        "duration_weeks": "decimal",
        "activities": "choice",
        "respondent": "choice",
    }
    sexes = [o["valueCoding"] for o in top["sex"]["answerOption"]]
    assert [c["code"] for c in sexes] == list(kb.sexes)
    assert {c["system"] for c in sexes} == {ADMINISTRATIVE_GENDER}
    activities = [o["valueCoding"]["code"] for o in top["activities"]["answerOption"]]
    assert activities == list(kb.activities)
    assert top["activities"]["repeats"] is True
    respondents = [o["valueCoding"]["code"] for o in top["respondent"]["answerOption"]]
    assert respondents == ["patient", "clinician"]


async def test_unknown_questionnaire_is_not_found(client: httpx.AsyncClient) -> None:
    outcome(await client.get("/fhir/Questionnaire/other"), 404)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v.id)
async def test_risk_assessment_matches_v1_triage(
    client: httpx.AsyncClient, vignette: Vignette
) -> None:
    expected = (await client.post("/v1/triage", json=triage_body(vignette.case))).json()
    response = await assess(client, questionnaire_response(vignette.case))
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith(FHIR_JSON)
    document = response.json()
    RiskAssessment.model_validate(document)
    assert document["status"] == "final"
    predictions = [
        (p["outcome"]["coding"][0]["code"], p["probabilityDecimal"]) for p in document["prediction"]
    ]
    assert predictions == [(s["id"], s["probability"]) for s in expected["sources"]]
    assert [p["qualitativeRisk"]["text"] for p in document["prediction"]] == [
        s["band"] for s in expected["sources"]
    ]
    extensions = document["extension"]
    levels = [e["valueCoding"]["code"] for e in extensions if e["url"] == LEVEL_EXTENSION]
    assert levels == [expected["triage"]["level"]]
    flags = [e["valueCoding"]["code"] for e in extensions if e["url"] == RED_FLAG_EXTENSION]
    assert flags == [flag["id"] for flag in expected["red_flags"]]
    assert document["basis"][0]["reference"] == "QuestionnaireResponse/qr-1"
    assert document["subject"] == {"reference": "Patient/p1"}


async def test_the_documented_example_is_assessed(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    example = document["paths"][ASSESS]["post"]["requestBody"]["content"][FHIR_JSON]["example"]
    response = await assess(client, example)
    assert response.status_code == 200
    top = response.json()["prediction"][0]["outcome"]["coding"][0]["code"]
    assert top == "obturator_internus"


async def test_red_flags_and_level_are_readable_in_the_resource(
    client: httpx.AsyncClient,
) -> None:
    cauda = next(v for v in VIGNETTES if "cauda_equina" in v.expected_red_flags)
    document = (await assess(client, questionnaire_response(cauda.case))).json()
    notes = " ".join(note["text"] for note in document["note"])
    assert "Triage level: emergency" in notes
    assert "cauda equina" in notes.lower()
    assert "emergency department" in document["mitigation"]


async def test_plain_json_content_type_and_no_subject_are_accepted(
    client: httpx.AsyncClient,
) -> None:
    body = questionnaire_response(VIGNETTES[0].case, subject=None)
    response = await assess(client, body, content_type="application/json")
    assert response.status_code == 200
    document = response.json()
    RiskAssessment.model_validate(document)
    assert "display" in document["subject"]


def test_unanswered_items_are_not_asked_and_asked_unknown_is_null(kb: KnowledgeBase) -> None:
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "item": [
            {"linkId": "pain_with_sitting", "answer": []},
            {"linkId": "low_back_pain"},
            {
                "linkId": "saddle_numbness",
                "extension": [{"url": DATA_ABSENT_REASON, "valueCode": "asked-unknown"}],
            },
            {"linkId": "sudden_onset", "answer": [{"valueBoolean": False}]},
        ],
    }
    request = to_triage_request(read_questionnaire_response(response), kb)
    sent = request.findings.model_fields_set
    assert sent == {"saddle_numbness", "sudden_onset"}
    assert request.findings.model_dump(include=sent) == {
        "saddle_numbness": None,
        "sudden_onset": False,
    }


def _response(*answers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": list(answers),
        **fields,
    }


def _boolean(link_id: str, answer: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [answer]}


BAD_FHIR: dict[str, tuple[bytes | dict[str, Any] | list[Any], int, str]] = {
    "invalid_json": (b'{"resourceType": "QuestionnaireResponse",', 400, "not valid JSON"),
    "nan_literal": (
        b'{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":'
        b'"duration_weeks","answer":[{"valueDecimal":NaN}]}]}',
        400,
        "not valid JSON",
    ),
    "array": ([], 400, "JSON object"),
    "patient": ({"resourceType": "Patient", "id": "p1"}, 400, "QuestionnaireResponse"),
    "unknown_element": (_response(colour="blue"), 400, "Extra inputs"),
    "no_link_id": (_response({"answer": [{"valueBoolean": True}]}), 400, "linkId"),
    "two_value_types": (
        _response(_boolean("sudden_onset", {"valueBoolean": True, "valueInteger": 1})),
        400,
        "multiple",
    ),
    "deep_nesting": (
        _response(json.loads('{"linkId":"history","item":[' * 40 + "{}" + "]}" * 40)),
        400,
        "nests",
    ),
    "unknown_link_id": (
        _response(_boolean("pain_with_siting", {"valueBoolean": True})),
        422,
        "Did you mean 'pain_with_sitting'",
    ),
    "string_for_boolean": (
        _response(_boolean("sudden_onset", {"valueString": "yes"})),
        422,
        "Expected valueBoolean",
    ),
    "quoted_boolean": (
        _response(_boolean("sudden_onset", {"valueBoolean": "true"})),
        422,
        "wrong JSON type",
    ),
    "boolean_for_integer": (
        _response(_boolean("age", {"valueInteger": True})),
        422,
        "wrong JSON type",
    ),
    "age_out_of_range": (_response(_boolean("age", {"valueInteger": 5})), 422, "10"),
    "unknown_sex": (
        _response(_boolean("sex", {"valueCoding": {"system": ADMINISTRATIVE_GENDER, "code": "f"}})),
        422,
        "Unknown code",
    ),
    "wrong_sex_system": (
        _response(_boolean("sex", {"valueCoding": {"system": "urn:x", "code": "female"}})),
        422,
        "administrative-gender",
    ),
    "two_answers": (
        _response(
            {"linkId": "sudden_onset", "answer": [{"valueBoolean": True}, {"valueBoolean": False}]}
        ),
        422,
        "one answer",
    ),
    "repeated_link_id": (
        _response(
            _boolean("sudden_onset", {"valueBoolean": True}),
            _boolean("sudden_onset", {"valueBoolean": False}),
        ),
        422,
        "more than once",
    ),
    "answered_group": (_response(_boolean("history", {"valueBoolean": True})), 422, "group"),
    "entered_in_error": (
        {**_response(), "status": "entered-in-error"},
        422,
        "status",
    ),
    "other_questionnaire": (
        _response(questionnaire="http://example.org/Questionnaire/phq-9"),
        422,
        "answers",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FHIR))
async def test_bad_fhir_gets_an_operation_outcome(client: httpx.AsyncClient, name: str) -> None:
    body, status, fragment = BAD_FHIR[name]
    document = outcome(await assess(client, body), status)
    assert fragment in document["issue"][0]["diagnostics"]


async def test_errors_before_routing_are_operation_outcomes(client: httpx.AsyncClient) -> None:
    body = questionnaire_response(VIGNETTES[0].case)
    outcome(await assess(client, body, content_type="text/plain"), 415)
    outcome(await assess(client, b'{"x": "' + b"a" * 70_000 + b'"}'), 413)
    outcome(await client.get(ASSESS), 405)
    outcome(await client.get("/fhir/Patient/p1"), 404)


async def test_v1_errors_stay_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_interview_in_progress_gets_a_preliminary_assessment_with_its_advice(
    client: httpx.AsyncClient,
) -> None:
    case = Case(
        findings={"sudden_onset": True, "onset_during_sprint": True, "pain_mid_thigh": True},
        age=24,
        activities=frozenset({"soccer"}),
        duration_weeks=3,
    )
    body = questionnaire_response(case)
    final = (await assess(client, body)).json()
    assert final["status"] == "final"
    preliminary = (await assess(client, {**body, "status": "in-progress"})).json()
    assert preliminary["status"] == "preliminary"
    # "the advice below" is there, by name
    expected = (await client.post("/v1/triage", json=triage_body(case))).json()
    assert expected["recommendations"]
    for item in expected["recommendations"]:
        assert item["name"] in preliminary["mitigation"]


async def test_the_questionnaire_hides_a_question_its_no_makes_moot(
    client: httpx.AsyncClient, kb: KnowledgeBase
) -> None:
    document = (await client.get("/fhir/Questionnaire/posterior-thigh-triage")).json()
    Questionnaire.model_validate(document)
    items = {i["linkId"]: i for group in document["item"] for i in group.get("item", [])}
    about = {i["linkId"]: i for i in document["item"]}
    for finding in kb.findings.values():
        expected: list[dict[str, object]] = [
            {"question": question, "operator": "!=", "answerBoolean": answer}
            for question, answer in (
                *([(finding.only_if, False)] if finding.only_if else []),
                *((other, True) for other in finding.moot_if),
            )
        ]
        expected += [
            {"question": "sex", "operator": "!=", "answerCoding": option["valueCoding"]}
            for option in about["sex"]["answerOption"]
            if option["valueCoding"]["code"] in finding.moot_for_sex
        ]
        assert items[finding.id].get("enableWhen", []) == expected
        if len(expected) > 1:
            assert items[finding.id]["enableBehavior"] == "all"
    assert items["pop_at_onset"]["enableWhen"][0]["question"] == "sudden_onset"
    # Not asked of a man.
    assert items["pregnancy_or_recent_birth"]["enableWhen"][0]["question"] == "sex"
    # no hopping once the pain began with a sudden injury
    hopping = {c["question"]: c["answerBoolean"] for c in items["pain_on_hopping"]["enableWhen"]}
    assert hopping["sudden_onset"] is True
