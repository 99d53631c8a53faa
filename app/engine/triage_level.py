"""The overall triage level: the most urgent of the red flags and the non-flag picture."""

from __future__ import annotations

from app.engine.clauses import holds
from app.engine.types import Case, RaisedFlag, SourceScore, Triage
from app.knowledge.model import KnowledgeBase, TriageLevel, severity


def _answered_patient_findings(case: Case, kb: KnowledgeBase) -> int:
    return sum(
        1
        for finding_id in case.findings
        if kb.findings[finding_id].audience == "patient"
        and kb.findings[finding_id].category != "red_flag_screen"
    )


def decide_triage(
    case: Case,
    flags: tuple[RaisedFlag, ...],
    scores: tuple[SourceScore, ...],
    kb: KnowledgeBase,
) -> Triage:
    """Choose the level and collect the reasons for it.

    A red flag never lowers the level. Without flags the level is `self_care` unless a
    likely source needs a clinician, an escalation rule holds (failed hamstring
    treatment, nerve root signs, long duration), or a full history leaves no source
    clearly likely.
    """
    candidates: list[tuple[TriageLevel, str]] = [("self_care", "")]
    for flag in flags:
        candidates.append((flag.level, kb.red_flags[flag.id].name))
    bands = {score.id: score.band for score in scores}
    for score in scores:
        source = kb.sources[score.id]
        if score.band == "likely" and source.care_when_likely != "self_care":
            candidates.append(
                (source.care_when_likely, f"{source.name} is likely and needs a clinician to confirm and treat it.")
            )
    for escalation in kb.policy.escalations:
        if holds(escalation.when, case, bands):
            candidates.append((escalation.level, escalation.reason))
    no_clear_source = all(score.band != "likely" for score in scores)
    if no_clear_source and _answered_patient_findings(case, kb) >= kb.policy.min_answered_patient_findings:
        candidates.append(
            ("soon", "After a full history no single source is clearly likely; a clinician should examine you.")
        )
    level = max(candidates, key=lambda c: severity(c[0]))[0]
    reasons = tuple(dict.fromkeys(reason for lvl, reason in candidates if reason and lvl == level))
    return Triage(level=level, reasons=reasons)
