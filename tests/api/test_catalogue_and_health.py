"""The catalogue endpoints, health probes and the OpenAPI document."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def test_findings_catalogue(client: httpx.AsyncClient) -> None:
    findings = (await client.get("/v1/findings")).json()
    by_id = {f["id"]: f for f in findings}
    assert by_id["pain_with_sitting"]["category"] == "aggravating"
    assert by_id["pain_with_sitting"]["audience"] == "patient"
    assert "obturator_internus" in by_id["pain_with_sitting"]["informs_sources"]
    assert by_id["slump_positive"]["audience"] == "clinician"
    assert by_id["saddle_numbness"]["screens_for"] == ["cauda_equina"]
    assert {f["category"] for f in findings} == {
        "history",
        "aggravating",
        "exam",
        "red_flag_screen",
    }


async def test_sources_catalogue_carries_citations(client: httpx.AsyncClient) -> None:
    sources = (await client.get("/v1/sources")).json()
    for source in sources:
        assert source["references"]
        assert source["prior"]["references"]
        assert source["typical_presentation"]
        for lr in source["likelihood_ratios"]:
            assert lr["references"]
            assert lr["evidence_level"] in {"study", "expert_consensus"}


async def test_exercise_library_has_dosage_and_cautions(client: httpx.AsyncClient) -> None:
    library = {e["id"]: e for e in (await client.get("/v1/exercises")).json()}
    nordic = library["nordic_hamstring_exercise"]
    assert nordic["dosage"]["sets"] == 2
    assert nordic["dosage"]["reps"] == 5
    assert nordic["progression"] == nordic["dosage"]["progression"]
    assert nordic["cautions"]
    assert nordic["references"][0]["citation"]
    assert library["obturator_internus_manual_release"]["kind"] == "advice"
    assert library["obturator_internus_manual_release"]["dosage"] is None


async def test_red_flag_catalogue(client: httpx.AsyncClient) -> None:
    flags = {f["id"]: f for f in (await client.get("/v1/red-flags")).json()}
    assert flags["cauda_equina"]["level"] == "emergency"
    assert "saddle_numbness" in flags["cauda_equina"]["screen"]


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ready"
    assert ready["knowledge_base_version"]
    # Probes that use HEAD get the same status, without a body.
    for path in ("/healthz", "/readyz"):
        head = await client.head(path)
        assert head.status_code == 200
        assert head.content == b""
        got = await client.get(path)
        assert head.headers["content-length"] == got.headers["content-length"]


async def test_openapi_documents_the_examples_and_errors(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/v1/triage"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert {"acute_sprint_strain", "sitting_pain", "neural_tension", "cauda_equina"} <= set(
        examples
    )
    assert {"400", "413", "415", "422"} <= set(operation["responses"])
    findings_schema = document["components"]["schemas"]["Findings"]
    assert findings_schema["additionalProperties"] is False
    assert "sit" in findings_schema["properties"]["pain_with_sitting"]["description"]


async def test_docs_pages_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/redoc")).status_code == 200


@pytest.mark.parametrize("path", ["/v1/findings", "/v1/sources", "/v1/exercises", "/v1/red-flags"])
async def test_the_catalogue_can_be_kept_and_revalidated(
    client: httpx.AsyncClient, path: str
) -> None:
    first = await client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("private, max-age=")
    again = await client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    for weak_list_or_star in (f"W/{etag}", f'"old", {etag}', "*"):
        assert (
            await client.get(path, headers={"if-none-match": weak_list_or_star})
        ).status_code == 304
    stale = await client.get(path, headers={"if-none-match": '"0.0.0+0.0.0"'})
    assert stale.status_code == 200
    assert stale.json() == first.json()
