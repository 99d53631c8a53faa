"""create_app(): routers, middleware and error handlers, nothing else."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from app import __version__
from app.api import catalogue, cds_hooks, fhir, health, triage
from app.api.docs import install_docs, keep_null_examples
from app.api.fhir_outcome import FhirOutcomes
from app.api.limits import BodyLimits
from app.api.operations import install_operations
from app.api.problems import install_problem_handlers
from app.settings import Settings, load_settings

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


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI application; `settings` default to the environment's."""
    app = FastAPI(
        title="thigh-triage",
        version=__version__,
        summary="Posterior-thigh pain triage: is it really the hamstring?",
        description=DESCRIPTION,
        license_info={"name": "MIT", "identifier": "MIT"},
        servers=[{"url": "/", "description": "This service"}],
        # FastAPI's own pages load Swagger UI and ReDoc from a CDN; install_docs serves them.
        docs_url=None,
        redoc_url=None,
        # operationId = the route function's name (`triage`, `findings`): readable client code.
        generate_unique_id_function=lambda route: route.name,
        openapi_tags=[
            {"name": "triage", "description": "The assessment."},
            {"name": "catalogue", "description": "The clinical knowledge, with citations."},
            {"name": "health", "description": "Liveness and readiness probes."},
            {"name": "fhir", "description": "FHIR R4: the Questionnaire and $assess."},
            {"name": "cds-hooks", "description": "CDS Hooks 2.0: discovery and cards."},
        ],
    )
    install_problem_handlers(app)
    routers = (triage.router, catalogue.router, health.router, fhir.router, cds_hooks.router)
    for router in routers:
        app.include_router(router)
    install_docs(app)
    keep_null_examples(app, routers)
    app.add_middleware(BodyLimits)
    install_operations(app, settings or load_settings())
    # Outermost, so that every error under /fhir, the API key's 401 included, is FHIR.
    app.add_middleware(FhirOutcomes)
    return app


app = create_app()
# Everything built so far (knowledge base, prepared tables, schemas, routes) lives as long
# as the process. Freezing it keeps the cyclic garbage collector from re-scanning those
# objects in every full collection, which otherwise runs every few hundred requests.
gc.freeze()
