"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.state import PREPARED
from app.knowledge.validate import KnowledgeBaseError, validate

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    knowledge_base_version: str | None = None


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness",
    responses={503: {"description": "Knowledge base invalid."}},
)
async def readyz() -> Health:
    """The knowledge base is loaded and passes validation."""
    try:
        validate(PREPARED.kb)
    except KnowledgeBaseError as error:
        from fastapi import HTTPException

        raise HTTPException(status_code=503, detail=f"Knowledge base invalid: {error}") from error
    return Health(status="ready", knowledge_base_version=PREPARED.kb.policy.knowledge_base_version)
