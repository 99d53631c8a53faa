"""thigh-triage's own application with a /v1/triage that validates the body and answers a
constant: what the production stack (middleware, limits, error handling, observability,
request validation) costs before the engine runs. A diagnostic, not a target."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

from app.api.schemas import TriageRequest
from app.main import create_app
from bench.baselines import CONSTANT


def _stack_floor() -> FastAPI:
    application = create_app()

    @application.post("/v1/triage")
    async def constant(request: Request) -> Response:
        TriageRequest.model_validate_json(await request.body())
        return Response(CONSTANT, media_type="application/json")

    # Routes match in order: put the constant before the real route; every middleware and
    # the rest of the application stay.
    routes = application.router.routes
    routes.insert(0, routes.pop())
    return application


app = _stack_floor()
