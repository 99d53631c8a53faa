"""The overall triage level: the most urgent of the red flags and the non-flag picture."""

from __future__ import annotations

from app.engine.clauses import holds
from app.engine.types import Case, Coverage, RaisedFlag, SourceScore, Triage
from app.knowledge.model import KnowledgeBase, TriageLevel, severity


def answered_patient_history(case: Case, kb: KnowledgeBase) -> int:
    """How many patient-answerable, non-screen findings have a true/false answer."""
    return sum(
        1
        for finding_id, answer in case.findings.items()
        if answer is not None
        and kb.findings[finding_id].audience == "patient"
        and kb.findings[finding_id].category != "red_flag_screen"
    )


def _simple_source_likely(scores: tuple[SourceScore, ...], kb: KnowledgeBase) -> bool:
    """Whether a source a person can manage with the advice given is likely."""
    return any(
        s.band == "likely" and kb.sources[s.id].care_when_likely == "self_care" for s in scores
    )


def _source_reasons(
    scores: tuple[SourceScore, ...], simple_likely: bool, kb: KnowledgeBase
) -> list[tuple[TriageLevel, str]]:
    """Levels implied by the sources themselves.

    A likely source that needs a clinician (e.g. obturator internus) sets its level. When
    no self-manageable source is likely, a possible clinician-needing source does too:
    uncertainty that includes such a source is a reason to be examined.
    """
    reasons = kb.policy.reasons
    found: list[tuple[TriageLevel, str]] = []
    for score in scores:
        source = kb.sources[score.id]
        if source.care_when_likely == "self_care" or score.band == "unlikely":
            continue
        if score.band == "likely":
            found.append(
                (
                    source.care_when_likely,
                    reasons["clinician_source_likely"].format(name=source.name),
                )
            )
        elif not simple_likely:
            found.append(
                (
                    source.care_when_likely,
                    reasons["clinician_source_possible"].format(name=source.name),
                )
            )
    return found


def decide_triage(
    case: Case,
    flags: tuple[RaisedFlag, ...],
    scores: tuple[SourceScore, ...],
    coverage: Coverage,
    kb: KnowledgeBase,
) -> Triage:
    """Choose the level and collect the reasons for it.

    A red flag never lowers the level. Without flags the level is `self_care` unless a
    source that needs a clinician is likely (or possible with nothing simpler likely), an
    escalation rule holds (failed hamstring treatment, nerve root signs, long duration),
    a full history leaves no source clearly likely, or the picture is out of scope.
    """
    candidates: list[tuple[TriageLevel, str]] = [("self_care", "")]
    candidates.extend((flag.level, kb.red_flags[flag.id].name) for flag in flags)
    simple_likely = _simple_source_likely(scores, kb)
    candidates.extend(_source_reasons(scores, simple_likely, kb))
    bands = {score.id: score.band for score in scores}
    candidates.extend(
        (escalation.level, escalation.reason)
        for escalation in kb.policy.escalations
        if holds(escalation.when, case, bands)
    )
    if not coverage.in_scope:
        candidates.append(("soon", kb.policy.coverage.texts["reason"]))
    duration = case.duration_weeks
    if not simple_likely and duration is not None and duration >= kb.policy.chronic_weeks:
        candidates.append(("soon", kb.policy.reasons["chronic_unclear"]))
    no_clear_source = all(score.band != "likely" for score in scores)
    if (
        no_clear_source
        and answered_patient_history(case, kb) >= kb.policy.min_answered_patient_findings
    ):
        candidates.append(("soon", kb.policy.reasons["no_clear_source"]))
    level = max(candidates, key=lambda c: severity(c[0]))[0]
    reasons = tuple(dict.fromkeys(reason for lvl, reason in candidates if reason and lvl == level))
    return Triage(level=level, reasons=reasons)
