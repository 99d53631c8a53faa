"""Turn the engine's plain values into the /v1 wire shapes."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import orjson

from app import __version__
from app.api.schemas import TriageRequest
from app.engine import Assessment, Case
from app.engine.types import Adjustment, Evidence
from app.knowledge.model import Dosage, KnowledgeBase

# Rounding keeps the wire stable across platforms and avoids false precision; the
# engine itself works in full floating point.
PROBABILITY_DIGITS = 4


def to_case(request: TriageRequest) -> Case:
    """Build the engine's Case: only findings the client actually sent count as asked."""
    sent = request.findings.model_fields_set
    answers = request.findings.model_dump(include=sent)
    return Case(
        findings=answers,
        age=request.age,
        sex=request.sex,
        activities=frozenset(request.activities),
        duration_weeks=request.duration_weeks,
        respondent=request.respondent,
    )


def meta(kb: KnowledgeBase) -> dict[str, str]:
    """Versions and the disclaimer that every assessment carries."""
    return {
        "knowledge_base_version": kb.policy.knowledge_base_version,
        "engine_version": __version__,
        "disclaimer": kb.policy.disclaimer,
    }


def _strain(assessment: Assessment) -> dict[str, Any] | None:
    details = assessment.hamstring_strain
    if details is None:
        return None
    return {
        "onset_type": details.onset_type,
        "expected_recovery_weeks": {
            "low": details.recovery_weeks_low,
            "high": details.recovery_weeks_high,
            "references": list(details.references),
            "note": details.note,
        },
    }


def _adjustment(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "factor": adjustment.factor,
        "label": adjustment.label,
        "likelihood_ratio": adjustment.likelihood_ratio,
        "evidence_level": adjustment.evidence_level,
    }


# One entry per evidence item a knowledge base can produce (a few hundred; an assessment
# reports a hundred or so, so each is rendered once). The bound only guards the process
# should evidence ever be built from request values.
EVIDENCE_CACHE_SIZE = 4096


@lru_cache(maxsize=EVIDENCE_CACHE_SIZE)
def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "finding": evidence.finding,
        "present": evidence.present,
        "likelihood_ratio": round(evidence.likelihood_ratio, 4),
        "evidence_level": evidence.evidence_level,
        "group": evidence.group,
    }


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """An evidence item as a wire document of its own (a copy, free to change)."""
    return _evidence(evidence).copy()


@lru_cache(maxsize=EVIDENCE_CACHE_SIZE)
def evidence_json(evidence: Evidence) -> orjson.Fragment:
    """An evidence item as serialized JSON, for documents that are only serialized."""
    return orjson.Fragment(orjson.dumps(_evidence(evidence)))


def dosage_dict(dosage: Dosage) -> dict[str, Any]:
    """A dosage as its wire document (the DosageOut model)."""
    return {
        "sets": dosage.sets,
        "reps": dosage.reps,
        "sessions_per_week": dosage.sessions_per_week,
        "sessions_per_day": dosage.sessions_per_day,
        "hold_seconds": dosage.hold_seconds,
        "parts": [
            {
                "name": part.name,
                "sets": part.sets,
                "reps": part.reps,
                "sessions_per_week": part.sessions_per_week,
                "hold_seconds": part.hold_seconds,
            }
            for part in dosage.parts
        ],
        "progression": dosage.progression,
    }


def present(
    assessment: Assessment,
    kb: KnowledgeBase,
    render_evidence: Callable[[Evidence], Any] = evidence_dict,
) -> dict[str, Any]:
    """Render an Assessment as the TriageResponse document.

    `render_evidence` renders each evidence item: a dict by default, or `evidence_json`
    when the document goes straight to orjson.
    """
    return {
        "triage": {
            "level": assessment.triage.level,
            "advice": assessment.triage.advice,
            "reasons": list(assessment.triage.reasons),
            "reason_codes": list(assessment.triage.reason_codes),
        },
        "red_flags": [
            {
                "id": flag.id,
                "name": kb.red_flags[flag.id].name,
                "level": flag.level,
                "action": kb.red_flags[flag.id].action,
                "triggered_by": list(flag.triggered_by),
            }
            for flag in assessment.red_flags
        ],
        "sources": [
            {
                "id": score.id,
                "name": kb.sources[score.id].name,
                "probability": round(score.probability, PROBABILITY_DIGITS),
                "band": score.band,
                "prior": score.prior,
                "rationale": assessment.rationales[score.id],
                "adjustments": list(map(_adjustment, score.adjustments)),
                # map: no comprehension frame for the hundred or so items
                "evidence": list(map(render_evidence, score.evidence)),
            }
            for score in assessment.sources
        ],
        "hamstring_check": {
            "probability": round(assessment.hamstring_check.probability, PROBABILITY_DIGITS),
            "verdict": assessment.hamstring_check.verdict,
            "explanation": assessment.hamstring_check.explanation,
            "deciding_findings": list(assessment.hamstring_check.deciding_findings),
            "better_fit": assessment.hamstring_check.better_fit,
        },
        "hamstring_strain": _strain(assessment),
        "coverage": {
            "in_scope": assessment.coverage.in_scope,
            "note": assessment.coverage.note,
            "pointing_outside": list(assessment.coverage.pointing_outside),
        },
        "recommendations": [
            {
                "id": advice.id,
                "kind": advice.kind,
                "name": kb.recommendations[advice.id].name,
                "instructions": kb.recommendations[advice.id].instructions,
                "for_sources": list(advice.for_sources),
                "dosage": None if advice.dosage is None else dosage_dict(advice.dosage),
                "cautions": list(kb.recommendations[advice.id].cautions),
                "evidence_level": kb.recommendations[advice.id].evidence_level,
                "references": list(kb.recommendations[advice.id].refs),
            }
            for advice in assessment.recommendations
        ],
        "next_questions": [
            {
                "finding": q.finding,
                "question": kb.findings[q.finding].question,
                "category": kb.findings[q.finding].category,
                "audience": kb.findings[q.finding].audience,
                "information_gain": round(q.information_gain, 4),
                "reason": q.reason,
            }
            for q in assessment.next_questions
        ],
        "progress": {
            "answered": assessment.progress.answered,
            "unknown": assessment.progress.unknown,
            "core_history_asked": assessment.progress.core_history_asked,
            "red_flag_screens_asked": assessment.progress.red_flag_screens_asked,
            "provisional": assessment.progress.provisional,
        },
        "meta": meta(kb),
    }
