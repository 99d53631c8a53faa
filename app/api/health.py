"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from app.api.problem_schema import PROBLEM
from app.api.response_examples import ok_example
from app.api.state import PREPARED
from app.knowledge.validate import KnowledgeBaseError, validate

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="`ok` (live) or `ready` (knowledge base valid).")
    knowledge_base_version: str | None = Field(
        default=None, description="Version of the loaded knowledge base (readiness only)."
    )


@router.get(
    "/healthz",
    response_model=Health,
    response_model_exclude_none=True,
    summary="Liveness",
    responses={200: ok_example("Live", {"status": "ok"})},
)
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness",
    responses={
        200: ok_example(
            "Ready",
            {
                "status": "ready",
                "knowledge_base_version": PREPARED.kb.policy.knowledge_base_version,
            },
        ),
        503: {"description": "Knowledge base invalid.", **PROBLEM},
    },
)
async def readyz() -> Health:
    """The knowledge base is loaded and passes validation."""
    try:
        validate(PREPARED.kb)
    except KnowledgeBaseError as error:
        raise HTTPException(status_code=503, detail=f"Knowledge base invalid: {error}") from error
    return Health(status="ready", knowledge_base_version=PREPARED.kb.policy.knowledge_base_version)


# Some load balancers and monitors probe with HEAD: the same answers, left out of the
# OpenAPI document so that each probe keeps one operation.
router.add_api_route(
    "/healthz",
    healthz,
    methods=["HEAD"],
    response_model=Health,
    response_model_exclude_none=True,
    include_in_schema=False,
)
router.add_api_route("/readyz", readyz, methods=["HEAD"], include_in_schema=False)
