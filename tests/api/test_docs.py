"""Offline Swagger UI and ReDoc, and an OpenAPI document that reads well."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from app.api.problem_schema import Problem
from app.main import create_app

pytestmark = pytest.mark.anyio

DOCUMENT = create_app().openapi()
OPERATIONS = [
    (method, path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]
# The JSON API and the probes answer errors with RFC 9457 problems (FHIR ones differ).
CORE = [(m, p, o) for m, p, o in OPERATIONS if p.startswith("/v1/") or p in {"/healthz", "/readyz"}]
PROBLEM_REF = "#/components/schemas/Problem"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_reference_no_outside_host(client: httpx.AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert not re.search(r"(https?:)?//[a-z0-9]", response.text, re.IGNORECASE), response.text
    # A strict CSP (script-src 'self') blocks inline code: every script is a file.
    assert "<script>" not in response.text
    assert "<style" not in response.text
    assert not re.search(r"\son[a-z]+=", response.text), "inline event handler"


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        (
            "/docs",
            [
                "/static/docs/swagger-ui.css",
                "/static/docs/swagger-ui-bundle.js",
                "/docs/swagger-init.js",
                "/static/docs/favicon.png",
            ],
        ),
        ("/redoc", ["/static/docs/redoc.standalone.js", "/static/docs/favicon.png"]),
    ],
)
async def test_docs_assets_are_served_locally(
    client: httpx.AsyncClient, page: str, assets: list[str]
) -> None:
    html = (await client.get(page)).text
    for asset in assets:
        assert f'"{asset}"' in html
        response = await client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 100, asset


async def test_swagger_init_reads_the_openapi_url_and_skips_the_validator(
    client: httpx.AsyncClient,
) -> None:
    script = (await client.get("/docs/swagger-init.js")).text
    assert "element.dataset.openapiUrl" in script
    assert "validatorUrl: null" in script
    assert 'data-openapi-url="/openapi.json"' in (await client.get("/docs")).text


async def test_docs_pages_honour_the_root_path() -> None:
    transport = httpx.ASGITransport(app=create_app(), root_path="/triage-api")
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        html = (await c.get("/docs")).text
    assert 'href="/triage-api/static/docs/swagger-ui.css"' in html
    assert 'data-openapi-url="/triage-api/openapi.json"' in html


def test_openapi_declares_servers() -> None:
    assert DOCUMENT["servers"] == [{"url": "/", "description": "This service"}]


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_every_operation_has_a_summary_description_and_tags(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    assert operation.get("summary"), "summary"
    assert operation.get("description"), "description"
    assert operation.get("tags"), "tags"


@pytest.mark.parametrize(
    ("method", "path", "operation"), CORE, ids=[f"{m} {p}" for m, p, _ in CORE]
)
def test_core_operations_show_an_example_and_problem_errors(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    ok = operation["responses"]["200"]["content"]["application/json"]
    examples = ok.get("examples") or {"example": {"value": ok.get("example")}}
    assert all(e.get("value") is not None for e in examples.values()), "200 example"
    for status, response in operation["responses"].items():
        if status.startswith(("4", "5")):
            content = response["content"]
            assert list(content) == ["application/problem+json"], status
            assert content["application/problem+json"]["schema"] == {"$ref": PROBLEM_REF}


def test_problem_schema_is_in_the_components() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail"}
    assert schemas["Problem"]["properties"]["errors"]["anyOf"][0]["items"] == {
        "$ref": "#/components/schemas/ProblemError"
    }
    assert set(schemas["ProblemError"]["required"]) == {"pointer", "message"}


async def test_a_real_validation_error_matches_the_problem_model(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/v1/triage", json={"findings": {"pain_with_siting": True}})
    problem = Problem.model_validate(response.json())
    assert problem.status == 422
    assert problem.errors is not None
    assert problem.errors[0].pointer == "/findings/pain_with_siting"
