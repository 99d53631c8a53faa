"""Turn the engine's plain values into the /v1 wire shapes."""

from __future__ import annotations

from typing import Any

from app import __version__
from app.api.schemas import TriageRequest
from app.engine import Assessment, Case
from app.knowledge.model import KnowledgeBase

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


def present(assessment: Assessment, kb: KnowledgeBase) -> dict[str, Any]:
    """Render an Assessment as the TriageResponse document."""
    return {
        "triage": {
            "level": assessment.triage.level,
            "advice": kb.policy.level_advice[assessment.triage.level],
            "reasons": list(assessment.triage.reasons),
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
                "adjustments": [
                    {
                        "factor": a.factor,
                        "likelihood_ratio": a.likelihood_ratio,
                        "evidence_level": a.evidence_level,
                    }
                    for a in score.adjustments
                ],
                "evidence": [
                    {
                        "finding": e.finding,
                        "present": e.present,
                        "likelihood_ratio": round(e.likelihood_ratio, 4),
                        "evidence_level": e.evidence_level,
                        "group": e.group,
                    }
                    for e in score.evidence
                ],
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
                "dosage": None
                if advice.dosage is None
                else {
                    "sets": advice.dosage.sets,
                    "reps": advice.dosage.reps,
                    "sessions_per_week": advice.dosage.sessions_per_week,
                    "hold_seconds": advice.dosage.hold_seconds,
                    "progression": advice.dosage.progression,
                },
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
        "meta": meta(kb),
    }
