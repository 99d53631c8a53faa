"""The engine's single entry point."""

from __future__ import annotations

from app.engine.bayes import score_sources
from app.engine.coverage import assess_coverage
from app.engine.explain import rationales
from app.engine.hamstring import check_hamstring, onset_type, strain_details
from app.engine.interview import next_questions
from app.engine.prepared import Prepared
from app.engine.recommend import recommend
from app.engine.red_flags import raise_red_flags
from app.engine.triage_level import decide_triage
from app.engine.types import Assessment, Case


def assess(case: Case, prepared: Prepared) -> Assessment:
    """Assess one case: sources, red flags, triage level, recommendations, next questions.

    Pure and deterministic: the same case and knowledge base always give the same answer.
    The caller validates ids; unknown finding ids here are a programming error.
    """
    kb = prepared.kb
    scores = score_sources(case, prepared)
    flags = raise_red_flags(case, kb)
    coverage = assess_coverage(case, scores, kb)
    triage = decide_triage(case, flags, scores, coverage, kb)
    return Assessment(
        triage=triage,
        red_flags=flags,
        sources=scores,
        rationales=rationales(scores, prepared),
        hamstring_check=check_hamstring(scores, prepared),
        hamstring_strain=strain_details(case, scores, kb),
        coverage=coverage,
        recommendations=recommend(case, scores, triage, flags, coverage, onset_type(case), kb),
        next_questions=next_questions(case, scores, prepared),
    )
