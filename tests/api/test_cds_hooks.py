"""CDS Hooks 2.0: discovery, cards for every vignette, prefetch handling and feedback."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.fhir_support import questionnaire_response, triage_body
from tests.vignettes import Vignette, load_vignettes

pytestmark = pytest.mark.anyio
SERVICE = "/cds-services/posterior-thigh-triage"
VIGNETTES = load_vignettes()
PROBLEM = "application/problem+json"


def hook_request(prefetch: dict[str, Any] | None, patient: str = "p1") -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": patient},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }


def no_nulls(value: Any) -> bool:
    """CDS Hooks: JSON elements SHALL NOT be null."""
    if isinstance(value, dict):
        return all(v is not None and no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return value is not None


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(PROBLEM)
    document: dict[str, Any] = response.json()
    return document


async def test_discovery_lists_the_service_with_the_required_fields(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/cds-services")
    assert response.status_code == 200
    document = response.json()
    assert no_nulls(document)
    (service,) = document["services"]
    assert {"hook", "description", "id"} <= service.keys()
    assert set(service) <= {"hook", "title", "description", "id", "prefetch", "usageRequirements"}
    assert service["id"] == "posterior-thigh-triage"
    assert service["hook"] == "patient-view"
    assert all(isinstance(service[k], str) and service[k] for k in ("hook", "description", "id"))
    template = service["prefetch"]["questionnaireResponse"]
    assert template.startswith("QuestionnaireResponse?")
    assert "{{context.patientId}}" in template


def assert_card_shape(card: dict[str, Any]) -> None:
    assert str(uuid.UUID(card["uuid"])) == card["uuid"]
    assert card["summary"]
    assert len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    assert isinstance(card["detail"], str)
    assert card["detail"]
    assert card["source"]["label"] == "thigh-triage"
    assert card["links"]
    for link in card["links"]:
        assert link["type"] == "absolute"
        assert link["url"].startswith("http://testserver/v1/")


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v.id)
async def test_cards_follow_the_red_flags_and_sources(
    client: httpx.AsyncClient, vignette: Vignette
) -> None:
    expected = (await client.post("/v1/triage", json=triage_body(vignette.case))).json()
    prefetch = {"questionnaireResponse": questionnaire_response(vignette.case)}
    response = await client.post(SERVICE, json=hook_request(prefetch))
    assert response.status_code == 200, response.text[:500]
    document = response.json()
    assert no_nulls(document)
    cards = document["cards"]
    for card in cards:
        assert_card_shape(card)
    indicators = [card["indicator"] for card in cards]
    flags = expected["red_flags"]
    assert indicators.count("critical") == sum(f["level"] == "emergency" for f in flags)
    assert indicators.count("warning") == sum(f["level"] != "emergency" for f in flags)
    assert indicators.count("info") == 1
    assert ("critical" in indicators) == any(f["level"] == "emergency" for f in flags)
    for flag, card in zip(flags, cards, strict=False):
        assert flag["name"] in card["summary"]
        assert card["links"][0]["url"] == "http://testserver/v1/red-flags"
    info = cards[-1]
    assert expected["triage"]["advice"] in info["detail"]
    for source in expected["sources"]:
        assert source["name"] in info["detail"]
    likely = [s["name"].split(" (")[0] for s in expected["sources"] if s["band"] == "likely"]
    assert all(name in info["summary"] for name in likely[:3])
    assert "http://testserver/v1/sources" in [link["url"] for link in info["links"]]


async def test_a_searchset_bundle_gives_the_same_cards(client: httpx.AsyncClient) -> None:
    case = next(v for v in VIGNETTES if v.expected_red_flags).case
    direct = {"questionnaireResponse": questionnaire_response(case)}
    bundled = {"questionnaireResponse": searchset(questionnaire_response(case))}
    first = (await client.post(SERVICE, json=hook_request(direct))).json()["cards"]
    second = (await client.post(SERVICE, json=hook_request(bundled))).json()["cards"]
    strip = [{k: v for k, v in card.items() if k != "uuid"} for card in first]
    assert strip == [{k: v for k, v in card.items() if k != "uuid"} for card in second]


async def card_urls(client: httpx.AsyncClient, host: str) -> list[str]:
    """The links of the cards for the first vignette, called with this Host header."""
    prefetch = {"questionnaireResponse": questionnaire_response(VIGNETTES[0].case)}
    response = await client.post(SERVICE, json=hook_request(prefetch), headers={"host": host})
    urls = [link["url"] for card in response.json()["cards"] for link in card["links"]]
    assert urls
    return urls


async def test_links_use_the_request_base_url(client: httpx.AsyncClient) -> None:
    urls = await card_urls(client, "ehr.example")
    assert all(url.startswith("http://ehr.example/v1/") for url in urls)


async def test_a_configured_public_url_wins_over_the_host_header() -> None:
    from app.main import create_app
    from app.settings import Settings

    app = create_app(Settings(public_url="https://triage.example/api/"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        urls = await card_urls(client, "evil.example")
    assert all(url.startswith("https://triage.example/api/v1/") for url in urls)


@pytest.mark.parametrize("prefetch", [None, {}, {"patient": {"resourceType": "Patient"}}])
async def test_missing_prefetch_is_a_precondition_failure(
    client: httpx.AsyncClient, prefetch: dict[str, Any] | None
) -> None:
    problem = assert_problem(await client.post(SERVICE, json=hook_request(prefetch)), 412)
    assert "prefetch.questionnaireResponse" in problem["detail"]


async def test_a_prefetch_error_is_a_precondition_failure(client: httpx.AsyncClient) -> None:
    failed = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "x"}]}
    prefetch = {"questionnaireResponse": failed}
    assert_problem(await client.post(SERVICE, json=hook_request(prefetch)), 412)


@pytest.mark.parametrize("value", [None, searchset()])
async def test_no_questionnaire_response_on_file_gives_no_cards(
    client: httpx.AsyncClient, value: dict[str, Any] | None
) -> None:
    response = await client.post(SERVICE, json=hook_request({"questionnaireResponse": value}))
    assert response.status_code == 200
    assert response.json() == {"cards": []}


async def test_an_invalid_questionnaire_response_is_reported_with_a_pointer(
    client: httpx.AsyncClient,
) -> None:
    response = questionnaire_response(VIGNETTES[0].case)
    response["item"].append({"linkId": "pain_with_siting", "answer": [{"valueBoolean": True}]})
    prefetch = {"questionnaireResponse": response}
    problem = assert_problem(await client.post(SERVICE, json=hook_request(prefetch)), 422)
    (error,) = problem["errors"]
    assert error["pointer"] == "/prefetch/questionnaireResponse"
    assert "Did you mean 'pain_with_sitting'" in error["message"]
    not_a_resource = {"questionnaireResponse": ["not", "a", "resource"]}
    assert_problem(await client.post(SERVICE, json=hook_request(not_a_resource)), 400)


async def test_answers_about_another_patient_are_refused(client: httpx.AsyncClient) -> None:
    prefetch = {"questionnaireResponse": questionnaire_response(VIGNETTES[0].case)}
    problem = assert_problem(
        await client.post(SERVICE, json=hook_request(prefetch, patient="p2")), 422
    )
    assert "Patient/p1" in problem["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"hookInstance": None},
        {"context": "p1"},
        {
            "fhirAuthorization": {
                "access_token": "t",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "patient/*.read",
                "subject": "cds",
            }
        },
    ],
    ids=["no_hook_instance", "context_not_object", "token_without_server"],
)
async def test_an_invalid_hook_request_is_rejected(
    client: httpx.AsyncClient, change: dict[str, Any]
) -> None:
    body = hook_request({"questionnaireResponse": None})
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    assert_problem(await client.post(SERVICE, json=body), 422)


async def test_feedback_is_accepted(client: httpx.AsyncClient) -> None:
    accepted = {
        "card": str(uuid.uuid4()),
        "outcome": "accepted",
        "acceptedSuggestions": [{"id": str(uuid.uuid4())}],
        "outcomeTimestamp": "2021-12-11T10:05:31Z",
    }
    overridden = {
        "card": str(uuid.uuid4()),
        "outcome": "overridden",
        "overrideReason": {
            "reason": {"code": "d7ecf885", "system": "https://example.com/override-reason"},
            "userComment": "A comment entered by the clinician.",
        },
        "outcomeTimestamp": "2020-12-11T00:00:00Z",
    }
    response = await client.post(f"{SERVICE}/feedback", json={"feedback": [accepted, overridden]})
    assert response.status_code == 200
    assert response.json() == {}


@pytest.mark.parametrize(
    "feedback",
    [
        [],
        [{"card": "c", "outcome": "accepted", "outcomeTimestamp": "2021-12-11T10:05:31Z"}],
        [{"card": "c", "outcome": "ignored", "outcomeTimestamp": "2021-12-11T10:05:31Z"}],
        [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "yesterday"}],
    ],
    ids=["empty", "accepted_without_suggestions", "unknown_outcome", "bad_timestamp"],
)
async def test_invalid_feedback_is_rejected(
    client: httpx.AsyncClient, feedback: list[dict[str, Any]]
) -> None:
    assert_problem(await client.post(f"{SERVICE}/feedback", json={"feedback": feedback}), 422)


async def test_a_call_for_another_hook_is_refused(client: httpx.AsyncClient) -> None:
    prefetch = {"questionnaireResponse": questionnaire_response(VIGNETTES[0].case)}
    body = {**hook_request(prefetch), "hook": "order-sign"}
    problem = assert_problem(await client.post(SERVICE, json=body), 400)
    assert problem["errors"][0]["pointer"] == "/hook"


async def test_the_card_says_when_the_answers_were_given(client: httpx.AsyncClient) -> None:
    resource = {**questionnaire_response(VIGNETTES[0].case), "authored": "2026-11-20T09:30:00Z"}
    response = await client.post(SERVICE, json=hook_request({"questionnaireResponse": resource}))
    info = [card for card in response.json()["cards"] if card["indicator"] == "info"]
    assert info
    assert info[0]["detail"].startswith("_Answers given 2026-11-20T09:30:00Z._")
