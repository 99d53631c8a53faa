"""GET /v1/findings, /v1/sources, /v1/exercises, /v1/red-flags: the knowledge, browsable."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app import __version__
from app.api.present import dosage_dict
from app.api.response_examples import ok_example
from app.api.response_schemas import DosageOut, EvidenceLevelField, Level
from app.api.state import PREPARED
from app.knowledge.model import Cited, KnowledgeBase

router = APIRouter(prefix="/v1", tags=["catalogue"])
OUT = ConfigDict(extra="forbid")


class ReferenceOut(BaseModel):
    model_config = OUT
    id: str
    citation: str
    doi: str = Field(description="DOI, or empty when the work has none.")


class FindingEntry(BaseModel):
    model_config = OUT
    id: str
    question: str = Field(description="The question in plain language.")
    label: str
    category: Literal["history", "aggravating", "exam", "red_flag_screen"]
    audience: Literal["patient", "clinician"]
    gloss: str | None = Field(default=None, description="What an examination test is.")
    only_if: str | None = Field(
        default=None,
        description="A finding whose `false` makes this question meaningless; the interview"
        " does not ask it then (no pop without a sudden onset).",
    )
    moot_if: list[str] = Field(
        description="Findings whose `true` makes this question moot or unsafe to ask; the"
        " interview does not ask it then (no hopping after a sudden injury)."
    )
    moot_for_sex: list[str] = Field(
        description="Sexes for which the interview does not ask this question (no"
        " pregnancy question when the request's sex is male)."
    )
    informs_sources: list[str]
    screens_for: list[str] = Field(description="Red flags this finding can trigger.")


class LikelihoodRatioEntry(BaseModel):
    model_config = OUT
    finding: str
    lr_positive: float
    lr_negative: float
    evidence_level: EvidenceLevelField
    references: list[str]
    note: str | None = None


class PriorEntry(BaseModel):
    model_config = OUT
    probability: float
    evidence_level: EvidenceLevelField
    references: list[str]
    note: str | None = None


class SourceEntry(BaseModel):
    model_config = OUT
    id: str
    name: str
    description: str
    typical_presentation: str
    prior: PriorEntry
    likelihood_ratios: list[LikelihoodRatioEntry]
    references: list[ReferenceOut]


class ExerciseEntry(BaseModel):
    model_config = OUT
    id: str
    kind: Literal["exercise", "advice"]
    name: str
    instructions: str
    dosage: DosageOut | None
    progression: str | None = Field(description="How to progress (same as dosage.progression).")
    cautions: list[str]
    for_sources: list[str]
    evidence_level: EvidenceLevelField
    references: list[ReferenceOut]


class RedFlagEntry(BaseModel):
    model_config = OUT
    id: str
    name: str
    level: Level
    action: str
    screen: list[str]
    references: list[ReferenceOut]


def _references(kb: KnowledgeBase, ids: tuple[str, ...]) -> list[dict[str, str]]:
    return [
        {"id": r, "citation": kb.references[r].citation, "doi": kb.references[r].doi} for r in ids
    ]


def _cited(cited: Cited) -> dict[str, Any]:
    return {
        "evidence_level": cited.evidence_level,
        "references": list(cited.refs),
        "note": cited.note,
    }


def _findings(kb: KnowledgeBase) -> list[dict[str, Any]]:
    informs = {
        f: [kb_s for kb_s in kb.sources if f in kb.likelihood_ratios.get(kb_s, {})]
        for f in kb.findings
    }
    for cluster in kb.clusters.values():
        for member in cluster.members:
            if cluster.source not in informs[member]:
                informs[member].append(cluster.source)
    return [
        {
            "id": f.id,
            "question": f.question,
            "label": f.label,
            "category": f.category,
            "audience": f.audience,
            "gloss": f.gloss,
            "only_if": f.only_if,
            "moot_if": list(f.moot_if),
            "moot_for_sex": list(f.moot_for_sex),
            "informs_sources": informs[f.id],
            "screens_for": [
                flag.id
                for flag in kb.red_flags.values()
                if any(f.id in c.findings for c in flag.triggers)
            ],
        }
        for f in kb.findings.values()
    ]


def _sources(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "description": s.description,
            "typical_presentation": s.typical_presentation,
            "prior": {"probability": s.prior.probability, **_cited(s.prior.cited)},
            "likelihood_ratios": [
                {
                    "finding": lr.finding,
                    "lr_positive": lr.positive,
                    "lr_negative": lr.negative,
                    **_cited(lr.cited),
                }
                for lr in kb.likelihood_ratios.get(s.id, {}).values()
            ],
            "references": _references(kb, s.references),
        }
        for s in kb.sources.values()
    ]


def _exercises(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "name": r.name,
            "instructions": r.instructions,
            "dosage": None if r.dosage is None else dosage_dict(r.dosage),
            "progression": None if r.dosage is None else r.dosage.progression,
            "cautions": list(r.cautions),
            "for_sources": list(r.for_sources),
            "evidence_level": r.evidence_level,
            "references": _references(kb, r.refs),
        }
        for r in kb.recommendations.values()
    ]


def _red_flags(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
        {
            "id": f.id,
            "name": f.name,
            "level": f.level,
            "action": f.action,
            "screen": sorted({m for c in f.triggers for m in c.findings}),
            "references": _references(kb, f.refs),
        }
        for f in kb.red_flags.values()
    ]


# The catalogue is static for the life of the process: render it once.
FINDINGS = _findings(PREPARED.kb)
SOURCES = _sources(PREPARED.kb)
EXERCISES = _exercises(PREPARED.kb)
RED_FLAGS = _red_flags(PREPARED.kb)

# It changes only with the knowledge base or the code: a client may keep it and revalidate
# with If-None-Match (about 30 KB for the findings, fetched by every app at start).
ETAG = f'"{PREPARED.kb.policy.knowledge_base_version}+{__version__}"'
CACHE_CONTROL = "private, max-age=3600"
CACHED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match named the current ETag."}
}


def _matches(if_none_match: str) -> bool:
    # RFC 9110: "*", or a list of tags compared weakly (W/ prefixes ignored).
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or ETAG in tags


def _cached(request: Request, response: Response, document: list[dict[str, Any]]) -> Any:
    headers = {"ETag": ETAG, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return document


@router.get(
    "/findings",
    response_model=list[FindingEntry],
    summary="Finding catalogue",
    responses={200: ok_example("The first finding", FINDINGS[:1]), **CACHED},
)
async def findings(request: Request, response: Response) -> Any:
    """Every finding the service understands, with its plain-language question."""
    return _cached(request, response, FINDINGS)


@router.get(
    "/sources",
    response_model=list[SourceEntry],
    summary="Source catalogue",
    responses={200: ok_example("The first source", SOURCES[:1]), **CACHED},
)
async def sources(request: Request, response: Response) -> Any:
    """Every candidate source, with its prior, likelihood ratios and references."""
    return _cached(request, response, SOURCES)


@router.get(
    "/exercises",
    response_model=list[ExerciseEntry],
    summary="Exercise and advice library",
    responses={200: ok_example("The first exercise", EXERCISES[:1]), **CACHED},
)
async def exercises(request: Request, response: Response) -> Any:
    """Every exercise and piece of advice, with dosage, progression, cautions and references."""
    return _cached(request, response, EXERCISES)


@router.get(
    "/red-flags",
    response_model=list[RedFlagEntry],
    summary="Red-flag catalogue",
    responses={200: ok_example("The first red flag", RED_FLAGS[:1]), **CACHED},
)
async def red_flags(request: Request, response: Response) -> Any:
    """Every red flag, its minimum level, the action to take and the findings that trigger it."""
    return _cached(request, response, RED_FLAGS)
