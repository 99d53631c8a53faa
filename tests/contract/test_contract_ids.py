"""Every id of the public contract exists, in the knowledge base and on the wire."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.knowledge.model import TRIAGE_LEVELS, KnowledgeBase

CONTRACT: dict[str, Any] = json.loads((Path(__file__).parent / "contract_ids.json").read_text())


def test_sources_exist(kb: KnowledgeBase) -> None:
    assert set(CONTRACT["sources"]) <= set(kb.sources)


def test_red_flags_exist_with_at_least_their_level(kb: KnowledgeBase) -> None:
    for flag_id, level in CONTRACT["red_flags"].items():
        assert kb.red_flags[flag_id].level == level


def test_findings_exist(kb: KnowledgeBase) -> None:
    assert set(CONTRACT["findings"]) <= set(kb.findings)


def test_exercises_and_advice_exist_with_their_kind(kb: KnowledgeBase) -> None:
    for item in CONTRACT["exercises"]:
        assert kb.recommendations[item].kind == "exercise"
    for item in CONTRACT["advice"]:
        assert kb.recommendations[item].kind == "advice"


def test_vocabularies_match(kb: KnowledgeBase) -> None:
    assert list(TRIAGE_LEVELS) == CONTRACT["triage_levels"]
    assert list(kb.sexes) == CONTRACT["sexes"]
    assert list(kb.activities) == CONTRACT["activities"]


@pytest.mark.anyio
async def test_catalogues_list_every_contract_id(client: httpx.AsyncClient) -> None:
    findings = {f["id"] for f in (await client.get("/v1/findings")).json()}
    sources = {s["id"] for s in (await client.get("/v1/sources")).json()}
    library = {e["id"] for e in (await client.get("/v1/exercises")).json()}
    assert set(CONTRACT["findings"]) <= findings
    assert set(CONTRACT["sources"]) <= sources
    assert set(CONTRACT["exercises"]) | set(CONTRACT["advice"]) <= library


@pytest.mark.anyio
async def test_request_accepts_every_contract_value(client: httpx.AsyncClient) -> None:
    body = {
        "age": 40,
        "sex": CONTRACT["sexes"][0],
        "activities": CONTRACT["activities"],
        "findings": dict.fromkeys(CONTRACT["findings"], False),
    }
    response = await client.post("/v1/triage", json=body)
    assert response.status_code == 200
    assert {s["id"] for s in response.json()["sources"]} == set(CONTRACT["sources"])
    for sex in CONTRACT["sexes"]:
        assert (await client.post("/v1/triage", json={"sex": sex})).status_code == 200
