"""Swagger UI and ReDoc served from the service itself, and the OpenAPI document's extras.

The JavaScript and CSS come from the `fastapi-offline` wheel (Swagger UI and ReDoc
bundles), so the pages work offline. The pages carry no inline script or style, so they
also work under a Content-Security-Policy of `script-src 'self'`: Swagger UI's start-up
code is a static script that reads its settings from data attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from app.api.problem_schema import REF_TEMPLATE, problem_components
from app.api.schemas import request_components

STATIC_URL = "/static/docs"
ASSETS = Path(fastapi_offline.__file__).parent / "static"

# FastAPI's own Swagger UI settings, plus validatorUrl: null so that Swagger UI does not
# ask validator.swagger.io for a badge (an outside host).
SWAGGER_INIT = b"""\
"use strict";
const element = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: element.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{head}</head><body>{body}</body></html>\n"
    )


def _swagger(request: Request, app: FastAPI) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    static = f"{root}{STATIC_URL}"
    return _page(
        f"{app.title} - Swagger UI",
        f'<link rel="icon" href="{static}/favicon.png">'
        f'<link rel="stylesheet" href="{static}/swagger-ui.css">',
        f'<div id="swagger-ui" data-openapi-url="{escape(f"{root}{app.openapi_url}")}"></div>'
        f'<script src="{static}/swagger-ui-bundle.js"></script>'
        f'<script src="{root}/docs/swagger-init.js"></script>',
    )


def _redoc(request: Request, app: FastAPI) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    static = f"{root}{STATIC_URL}"
    # A <redoc> element is picked up by the standalone bundle: no inline start-up script.
    return _page(
        f"{app.title} - ReDoc",
        f'<link rel="icon" href="{static}/favicon.png">',
        f'<redoc spec-url="{escape(f"{root}{app.openapi_url}")}"></redoc>'
        f'<script src="{static}/redoc.standalone.js"></script>',
    )


def _with_problem_schema(generate: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    # Error responses refer to #/components/schemas/Problem, which no route returns as
    # its response model, and /v1/triage reads its body itself: FastAPI would emit
    # neither schema on its own.
    def openapi() -> dict[str, Any]:
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        merged = {**schemas, **problem_components(), **request_components(REF_TEMPLATE)}
        schemas.clear()
        schemas.update(sorted(merged.items()))
        return document

    return openapi


def keep_null_examples(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Put the routes' response examples back into the OpenAPI document verbatim.

    FastAPI drops every null while it builds the document, examples included, which left
    required nullable fields (`hamstring_strain`, `dosage`) out of examples that then
    failed their own schemas.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = generate()
        if first:
            paths = document["paths"]
            for router in routers:
                for route in router.routes:
                    if not isinstance(route, APIRoute) or not route.include_in_schema:
                        continue
                    for status, response in route.responses.items():
                        for media, content in response.get("content", {}).items():
                            if "examples" not in content:
                                continue
                            for method in route.methods or ():
                                operation = paths[route.path_format][method.lower()]
                                target = operation["responses"][str(status)]["content"][media]
                                target["examples"] = content["examples"]
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc offline and add the Problem schema to the OpenAPI document.

    The app must be built with `docs_url=None, redoc_url=None` so that FastAPI's CDN
    pages are not registered.
    """
    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return _swagger(request, app)

    @app.get("/docs/swagger-init.js", include_in_schema=False)
    async def swagger_init() -> Response:
        return Response(SWAGGER_INIT, media_type="text/javascript")

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return _redoc(request, app)

    app.openapi = _with_problem_schema(app.openapi)  # type: ignore[method-assign]
