"""GET /metrics: Prometheus text, by route template, with triage outcomes and versions."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from app import __version__
from app.api.state import PREPARED

from .support import build_app

pytestmark = pytest.mark.anyio
ClientFor = Callable[[FastAPI], httpx.AsyncClient]


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, keyed by name and sorted labels."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_requests_are_counted_by_route_template_and_status(client_for: ClientFor) -> None:
    client = client_for(build_app())
    await client.get("/v1/findings")
    await client.get("/v1/findings")
    for probe in ("/wp-admin", "/.env", "/v1/nope/1", "/v1/nope/2"):
        assert (await client.get(probe)).status_code == 404
    await client.request("BREW", "/v1/findings")
    samples = await scrape(client)
    findings = (("method", "GET"), ("route", "/v1/findings"), ("status", "200"))
    assert samples["thigh_triage_http_requests_total", findings] == 2
    assert samples["thigh_triage_http_request_duration_seconds_count", findings] == 2
    assert (
        samples["thigh_triage_http_request_duration_seconds_bucket", (("le", "+Inf"), *findings)]
        == 2
    )
    # Scanners' paths and invented methods share label values instead of making series.
    probes = (("method", "GET"), ("route", "<unrouted>"), ("status", "404"))
    assert samples["thigh_triage_http_requests_total", probes] == 4
    routes = {dict(labels).get("route") for name, labels in samples if "http_" in name}
    assert routes == {"/v1/findings", "<unrouted>"}
    methods = {dict(labels).get("method") for name, labels in samples if "http_" in name}
    assert methods == {"GET", "OTHER"}


async def test_triage_levels_and_red_flags_are_counted(client_for: ClientFor) -> None:
    client = client_for(build_app())
    cauda_equina = {"findings": {"saddle_numbness": True, "bladder_or_bowel_change": True}}
    await client.post("/v1/triage", json=cauda_equina)
    await client.post("/v1/triage", json=cauda_equina)
    await client.post(
        "/v1/triage", json={"findings": {"sudden_onset": True, "onset_during_sprint": True}}
    )
    samples = await scrape(client)
    assert samples["thigh_triage_triage_levels_total", (("level", "emergency"),)] == 2
    assert sum(v for (n, _), v in samples.items() if n == "thigh_triage_triage_levels_total") == 3
    assert samples["thigh_triage_red_flags_total", (("red_flag", "cauda_equina"),)] == 2


async def test_versions_are_an_info_metric(client_for: ClientFor) -> None:
    samples = await scrape(client_for(build_app()))
    labels = (
        ("service_version", __version__),
        ("version", PREPARED.kb.policy.knowledge_base_version),
    )
    assert samples["thigh_triage_knowledge_base_info", labels] == 1


async def test_process_metrics_are_exposed_and_metrics_is_not_in_the_contract(
    client: httpx.AsyncClient,
) -> None:
    text = (await client.get("/metrics")).text
    assert "process_resident_memory_bytes" in text
    assert "python_info" in text
    assert "/metrics" not in (await client.get("/openapi.json")).json()["paths"]


async def test_each_app_has_its_own_registry(client_for: ClientFor) -> None:
    first, second = client_for(build_app()), client_for(build_app())
    await first.get("/healthz")
    samples = await scrape(second)
    assert not any(dict(labels).get("route") == "/healthz" for _, labels in samples)
