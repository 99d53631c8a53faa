"""The engine's single entry point."""

from __future__ import annotations

from app.engine.bayes import score_sources
from app.engine.coverage import assess_coverage
from app.engine.explain import rationales
from app.engine.hamstring import check_hamstring, onset_type, strain_details
from app.engine.interview import moot_findings, next_questions
from app.engine.prepared import Prepared
from app.engine.recommend import recommend
from app.engine.red_flags import raise_red_flags
from app.engine.triage_level import decide_triage, unsupported_self_care
from app.engine.types import Assessment, Case, Progress, Triage


def progress(case: Case, triage: Triage, unknown: int, prepared: Prepared) -> Progress:
    """How far the history has got. Provisional while the questions every interview asks
    (the core history and the red-flag checklist) are not all asked, unless the level is
    already the highest there is."""
    interview = prepared.kb.policy.interview
    findings = case.findings
    # A question an earlier answer made moot (hopping after a sudden injury) is never
    # asked, so it counts as asked here too.
    moot = set(moot_findings(case, prepared))
    core = all(f in findings or f in moot for f in interview.core_history)
    screens = all(f in findings or f in moot for f in interview.general_screen_order)
    top = triage.level == "emergency"
    return Progress(
        answered=len(findings) - unknown,
        unknown=unknown,
        core_history_asked=core,
        red_flag_screens_asked=screens,
        provisional=not top and not (core and screens),
    )


def assess(case: Case, prepared: Prepared) -> Assessment:
    """Assess one case: sources, red flags, triage level, recommendations, next questions
    (only those that could raise another red flag once the level is an emergency).

    Pure and deterministic: the same case and knowledge base always give the same answer.
    The caller validates ids; unknown finding ids here are a programming error.
    """
    scoring = score_sources(case, prepared)
    scores = scoring.scores
    flags = raise_red_flags(case, scoring.present, prepared)
    coverage = assess_coverage(case, scoring, flags, prepared)
    # a likely simple source that nothing reported points to: it changes the level and
    # holds back exercises, so it is found once for both
    unsupported = unsupported_self_care(scoring, prepared)
    triage = decide_triage(case, flags, scoring, coverage, unsupported, prepared)
    return Assessment(
        triage=triage,
        red_flags=flags,
        sources=scores,
        rationales=rationales(scoring, prepared),
        hamstring_check=check_hamstring(scoring, flags, prepared),
        hamstring_strain=strain_details(case, scoring, flags, prepared),
        coverage=coverage,
        recommendations=recommend(
            case, scoring, triage, flags, coverage, onset_type(case), unsupported, prepared
        ),
        next_questions=next_questions(
            case, scores, prepared, screens_only=triage.level in prepared.kb.policy.end_interview_at
        ),
        progress=progress(case, triage, len(scoring.unanswered), prepared),
    )
