"""create_app(): routers, middleware and error handlers, nothing else."""

from __future__ import annotations

from fastapi import FastAPI

from app import __version__
from app.api import catalogue, health, triage
from app.api.limits import BodyLimits
from app.api.problems import install_problem_handlers

DESCRIPTION = """
**Is this posterior-thigh pain really the hamstring, and if not, what is it?**

Send what a person reports (and, optionally, what a clinician finds) to `POST /v1/triage`.
Each candidate tissue source (hamstring strain, proximal hamstring tendinopathy, lumbar
spine, sciatic nerve, obturator internus, sacroiliac joint, ischiofemoral impingement) is
scored as its own yes/no question from a cited prior and cited likelihood ratios. Red flags
always win over scores. The answer carries a triage level, exercises with dosage, and the
next questions to ask.

Not a diagnosis: a decision-support aid. Every response carries a disclaimer and the
knowledge base version.
"""


def create_app() -> FastAPI:
    """Build the ASGI application."""
    app = FastAPI(
        title="thigh-triage",
        version=__version__,
        summary="Posterior-thigh pain triage: is it really the hamstring?",
        description=DESCRIPTION,
        license_info={"name": "MIT", "identifier": "MIT"},
        openapi_tags=[
            {"name": "triage", "description": "The assessment."},
            {"name": "catalogue", "description": "The clinical knowledge, with citations."},
            {"name": "health", "description": "Liveness and readiness probes."},
        ],
    )
    install_problem_handlers(app)
    app.include_router(triage.router)
    app.include_router(catalogue.router)
    app.include_router(health.router)
    app.add_middleware(BodyLimits)
    return app


app = create_app()
