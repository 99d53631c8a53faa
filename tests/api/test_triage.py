"""POST /v1/triage over HTTP through the ASGI app: success, shape and every error path."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.api.examples import TRIAGE_EXAMPLES

pytestmark = pytest.mark.anyio
PROBLEM = "application/problem+json"


async def post(client: httpx.AsyncClient, body: Any) -> httpx.Response:
    return await client.post("/v1/triage", json=body)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)
    problem: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= problem.keys()
    assert problem["status"] == status
    return problem


@pytest.mark.parametrize("name", sorted(TRIAGE_EXAMPLES))
async def test_every_documented_example_succeeds(client: httpx.AsyncClient, name: str) -> None:
    response = await post(client, TRIAGE_EXAMPLES[name]["value"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "triage",
        "red_flags",
        "sources",
        "hamstring_check",
        "hamstring_strain",
        "coverage",
        "recommendations",
        "next_questions",
        "progress",
        "meta",
    }
    assert body["meta"]["knowledge_base_version"]
    assert body["meta"]["disclaimer"]
    probabilities = [s["probability"] for s in body["sources"]]
    assert probabilities == sorted(probabilities, reverse=True)


async def test_examples_mean_what_they_say(client: httpx.AsyncClient) -> None:
    sprint = (await post(client, TRIAGE_EXAMPLES["acute_sprint_strain"]["value"])).json()
    assert sprint["sources"][0]["id"] == "hamstring_strain"
    assert sprint["triage"]["level"] == "self_care"
    sitting = (await post(client, TRIAGE_EXAMPLES["sitting_pain"]["value"])).json()
    assert sitting["sources"][0]["id"] == "obturator_internus"
    assert sitting["triage"]["level"] == "soon"
    neural = (await post(client, TRIAGE_EXAMPLES["neural_tension"]["value"])).json()
    assert neural["sources"][0]["id"] == "sciatic_nerve"
    cauda = (await post(client, TRIAGE_EXAMPLES["cauda_equina"]["value"])).json()
    assert cauda["triage"]["level"] == "emergency"
    assert cauda["red_flags"][0]["id"] == "cauda_equina"
    assert cauda["red_flags"][0]["triggered_by"] == ["bilateral_leg_symptoms", "saddle_numbness"]
    assert not [r for r in cauda["recommendations"] if r["kind"] == "exercise"]


async def test_empty_body_object_is_valid(client: httpx.AsyncClient) -> None:
    response = await post(client, {})
    assert response.status_code == 200
    assert response.json()["next_questions"][0]["finding"] == "saddle_numbness"


async def test_evidence_shows_the_findings_behind_a_source(client: httpx.AsyncClient) -> None:
    body = (
        await post(client, {"findings": {"pain_with_sitting": True, "pain_running_uphill": False}})
    ).json()
    oi = next(s for s in body["sources"] if s["id"] == "obturator_internus")
    assert {
        "finding": "pain_with_sitting",
        "present": True,
        "likelihood_ratio": 3.0,
        "evidence_level": "expert_consensus",
        "group": None,
    } in oi["evidence"]


async def test_unknown_finding_gets_did_you_mean(client: httpx.AsyncClient) -> None:
    problem = assert_problem(await post(client, {"findings": {"pain_with_siting": True}}), 422)
    assert problem["errors"][0]["pointer"] == "/findings/pain_with_siting"
    assert "did you mean 'pain_with_sitting'" in problem["errors"][0]["message"].lower()


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"age": "34"}, "/age"),
        ({"age": 9}, "/age"),
        ({"age": 101}, "/age"),
        ({"age": True}, "/age"),
        ({"sex": "f"}, "/sex"),
        ({"activities": ["chess"]}, "/activities/0"),
        ({"duration_weeks": -1}, "/duration_weeks"),
        ({"findings": {"pain_with_sitting": "yes"}}, "/findings/pain_with_sitting"),
        ({"findings": {"pain_with_sitting": 1}}, "/findings/pain_with_sitting"),
        ({"findings": []}, "/findings"),
        ({"respondent": "robot"}, "/respondent"),
        ({"unexpected": 1}, "/unexpected"),
        ([], ""),
    ],
)
async def test_invalid_fields_point_at_the_problem(
    client: httpx.AsyncClient, body: Any, pointer: str
) -> None:
    problem = assert_problem(await post(client, body), 422)
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert all(e["message"] for e in problem["errors"])


async def test_nan_and_infinity_are_rejected(client: httpx.AsyncClient) -> None:
    for literal in ("NaN", "Infinity"):
        response = await client.post(
            "/v1/triage",
            content=f'{{"duration_weeks": {literal}}}',
            headers={"content-type": "application/json"},
        )
        assert response.status_code in (400, 422)


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/triage", content=b'{"age": 3', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400)


async def test_non_json_content_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/triage",
        content=b"age=34",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_problem(response, 415)


async def test_body_over_64_kib_is_413(client: httpx.AsyncClient) -> None:
    big = json.dumps({"findings": {}, "pad": "x" * (65 * 1024)}).encode()
    response = await client.post(
        "/v1/triage", content=big, headers={"content-type": "application/json"}
    )
    assert_problem(response, 413)


async def test_chunked_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b" " * 1024

    response = await client.post(
        "/v1/triage", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413)


async def test_wrong_method_and_unknown_path_are_problems(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/triage"), 405)
    assert_problem(await client.get("/v1/nothing-here"), 404)


async def test_a_programme_doses_each_of_its_exercises(client: httpx.AsyncClient) -> None:
    body = {
        "age": 22,
        "activities": ["soccer"],
        "duration_weeks": 1,
        "findings": {"sudden_onset": True, "onset_during_stretch": True, "pain_mid_thigh": True},
    }
    answer = (await client.post("/v1/triage", json=body)).json()
    protocol = next(
        r for r in answer["recommendations"] if r["id"] == "hamstring_lengthening_l_protocol"
    )
    dosage = protocol["dosage"]
    assert dosage["sessions_per_day"] == 2
    assert [part["name"] for part in dosage["parts"]] == ["The Extender", "The Diver", "The Glider"]
    assert [part["reps"] for part in dosage["parts"]] == [12, 6, 4]
    assert (dosage["sets"], dosage["reps"]) == (3, 12)
    # The catalogue shows the same dose.
    exercises = (await client.get("/v1/exercises")).json()
    listed = next(e for e in exercises if e["id"] == "hamstring_lengthening_l_protocol")
    assert listed["dosage"] == dosage


async def test_progress_says_when_the_level_can_still_rise(client: httpx.AsyncClient) -> None:
    first = (await post(client, {"age": 20, "activities": ["dance"], "findings": {}})).json()
    assert first["progress"] == {
        "answered": 0,
        "unknown": 0,
        "core_history_asked": False,
        "red_flag_screens_asked": False,
        "provisional": True,
    }
    everything = {f["id"]: False for f in (await client.get("/v1/findings")).json()}
    everything["sudden_onset"] = None
    done = (await post(client, {"age": 20, "findings": everything})).json()["progress"]
    assert done["core_history_asked"]
    assert done["red_flag_screens_asked"]
    assert not done["provisional"]
    assert done["unknown"] == 1
    assert done["answered"] == len(everything) - 1
    # A sudden injury makes the hop moot: never asked, and the checklist still complete.
    sudden = {f: a for f, a in everything.items() if f != "pain_on_hopping"}
    sudden["sudden_onset"] = True
    strain = (await post(client, {"age": 20, "findings": sudden})).json()
    assert not strain["next_questions"]
    assert strain["progress"]["red_flag_screens_asked"]
    assert not strain["progress"]["provisional"]
    # At an emergency the level cannot rise: not provisional, whatever is left.
    emergency = (await post(client, {"findings": {"saddle_numbness": True}})).json()
    assert emergency["triage"]["level"] == "emergency"
    assert not emergency["progress"]["provisional"]


async def test_adjustments_say_their_condition_in_plain_words(client: httpx.AsyncClient) -> None:
    body = {"age": 24, "activities": ["soccer"], "duration_weeks": 1, "findings": {}}
    answer = (await post(client, body)).json()
    strain = next(s for s in answer["sources"] if s["id"] == "hamstring_strain")
    labels = {a["factor"]: a["label"] for a in strain["adjustments"]}
    assert labels["activities=sprinting|soccer"] == "does sprinting or soccer"
    assert labels["duration_weeks_max=3"] == "pain for 3 weeks or less"
