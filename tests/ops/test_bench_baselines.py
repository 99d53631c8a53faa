"""The benchmark's diagnostic apps: the framework-free one does the route's work (same
body in, same bytes out); the stack floor keeps the application around a constant."""

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


async def test_the_stack_floor_keeps_the_application_around_a_constant() -> None:
    from bench.baselines import CONSTANT
    from bench.stack_floor import app

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as floor:
        answered = await floor.post("/v1/triage", json=thirty_findings(0))
        assert answered.status_code == 200
        assert answered.content == CONSTANT
        # the middleware stays: security headers and request ids
        assert "x-request-id" in answered.headers
        assert answered.headers["x-content-type-options"] == "nosniff"
        # the rest of the application stays
        assert (await floor.get("/v1/sources")).status_code == 200
