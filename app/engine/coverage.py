"""Say when the picture fits none of the posterior-thigh sources, or points outside them."""

from __future__ import annotations

from app.engine.explain import join
from app.engine.triage_level import answered_patient_history
from app.engine.types import Case, Coverage, SourceScore
from app.knowledge.model import KnowledgeBase


def assess_coverage(case: Case, scores: tuple[SourceScore, ...], kb: KnowledgeBase) -> Coverage:
    """In scope unless a fairly full history fits no source, or findings point elsewhere
    while no posterior-thigh source is likely."""
    policy = kb.policy.coverage
    outside = tuple(f for f in policy.outside if case.findings.get(f) is True)
    if outside:
        places = join(list(dict.fromkeys(policy.outside[f] for f in outside)))
        if any(score.band == "likely" for score in scores):
            note = policy.texts["in_scope_outside_note"].format(places=places)
            return Coverage(True, note, outside)
        return Coverage(False, policy.texts["outside_note"].format(places=places), outside)
    full_history = answered_patient_history(case, kb) >= policy.min_answered_patient_findings
    if full_history and all(score.band == "unlikely" for score in scores):
        return Coverage(False, policy.texts["no_source_note"], ())
    return Coverage(True, policy.texts["in_scope_note"], ())
