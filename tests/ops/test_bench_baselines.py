"""The benchmark's diagnostic app does the route's work: same body in, same bytes out."""

from __future__ import annotations

import httpx
import pytest

from bench.baselines import triage_without_framework
from bench.payloads import thirty_findings

pytestmark = pytest.mark.anyio


async def test_the_framework_free_app_answers_what_the_route_answers(
    client: httpx.AsyncClient,
) -> None:
    transport = httpx.ASGITransport(app=triage_without_framework)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as bare:
        for seed in range(5):
            body = thirty_findings(seed)
            route = await client.post("/v1/triage", json=body)
            framework_free = await bare.post("/v1/triage", json=body)
            assert route.status_code == framework_free.status_code == 200
            assert route.content == framework_free.content
