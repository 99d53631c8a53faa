"""Validation of the triage policy (triage.toml): bands, levels, escalations, the
interview's order and the explanation templates."""

from __future__ import annotations

from app.knowledge.checks import ID_PATTERN, ONSET_TYPES, check, check_clause, known
from app.knowledge.model import TRIAGE_LEVELS, KnowledgeBase

CHECK_TEXTS = {
    "likely_text",
    "likely_also_text",
    "likely_combined_text",
    "likely_no_evidence_text",
    "possible_text",
    "possible_other_text",
    "possible_no_evidence_text",
    "unlikely_other_text",
    "unlikely_text",
    "possible_other_no_evidence_text",
    "possible_other_against_text",
    "possible_against_text",
    "red_flag_first_text",
    "nothing",
}
RATIONALE_TEXTS = {
    "contrary",
    "likely",
    "possible",
    "unlikely",
    "supporting",
    "opposing",
    "no_evidence",
    "absent",
}
COVERAGE_TEXTS = {
    "in_scope_note",
    "flagged_note",
    "in_scope_outside_note",
    "no_source_note",
    "outside_note",
    "reason",
    "reason_outside",
}
REASON_KEYS = {
    "clinician_source_likely",
    "clinician_source_possible",
    "no_clear_source",
    "no_clear_source_yet",
    "no_clear_source_unanswered",
    "self_care_likely",
    "likely_unsupported",
    "chronic_unclear",
}


def validate_policy(kb: KnowledgeBase) -> None:
    """Raise KnowledgeBaseError on the first inconsistency in the triage policy."""
    _validate_levels_and_interview(kb)
    _validate_explanations(kb)


def _validate_levels_and_interview(kb: KnowledgeBase) -> None:
    where = "triage.toml [interview] after_core"
    for when, ask in kb.policy.interview.after_core:
        check_clause(kb, when, where)
        known(ask, kb.findings, "finding", where)
    policy = kb.policy
    check(
        0 < policy.possible_threshold < policy.likely_threshold < 1,
        "triage.toml [bands]: need 0 < possible < likely < 1",
    )
    check(set(policy.level_advice) == set(TRIAGE_LEVELS), "triage.toml: advice for every level")
    check(
        set(policy.reasons) == REASON_KEYS,
        f"triage.toml [reasons]: need exactly {sorted(REASON_KEYS)}",
    )
    known(policy.clinician_reasons, REASON_KEYS, "reason", "triage.toml [reasons.clinician]")
    check_clause(kb, policy.fresh_when_duration_unknown, "triage.toml fresh_when_duration_unknown")
    known(policy.withhold_exercises_at, TRIAGE_LEVELS, "level", "triage.toml")
    known(policy.withhold_recommendations_at, TRIAGE_LEVELS, "level", "triage.toml")
    known(policy.end_interview_at, TRIAGE_LEVELS, "level", "triage.toml")
    check("emergency" in policy.end_interview_at, "triage.toml: the interview ends at emergency")
    check("emergency" in policy.withhold_exercises_at, "triage.toml: exercises at emergency")
    escalation_ids = [escalation.id for escalation in policy.escalations]
    check(len(set(escalation_ids)) == len(escalation_ids), "triage.toml: escalation ids repeat")
    for escalation in policy.escalations:
        where = f"triage.toml escalation '{escalation.reason}'"
        check(bool(ID_PATTERN.match(escalation.id)), f"{where}: id is not snake_case")
        check(escalation.level in TRIAGE_LEVELS, f"{where}: bad level")
        check_clause(kb, escalation.when, where)
    screen_ids = {f.id for f in kb.findings.values() if f.category == "red_flag_screen"}
    interview = policy.interview
    known(interview.general_screen_order, screen_ids, "red-flag screen", "triage.toml")
    # they are due as general screens, so they must be among them
    known(
        interview.must_ask_screens,
        set(interview.general_screen_order),
        "general screen",
        "triage.toml [interview] must_ask_screens",
    )
    known(interview.core_history, kb.findings, "finding", "triage.toml [interview]")


def _validate_explanations(kb: KnowledgeBase) -> None:
    policy = kb.policy
    hamstring = policy.hamstring_check
    known(hamstring.sources, kb.sources, "source", "triage.toml [hamstring_check]")
    check(0 < hamstring.possible < hamstring.likely < 1, "triage.toml [hamstring_check]: bands")
    check(set(hamstring.texts) >= CHECK_TEXTS, f"triage.toml [hamstring_check]: need {CHECK_TEXTS}")
    check(
        set(policy.rationale.templates) >= RATIONALE_TEXTS,
        f"triage.toml [rationale]: need {RATIONALE_TEXTS}",
    )
    check(
        policy.rationale.min_likelihood_ratio >= 1.0,
        "triage.toml [rationale]: min_likelihood_ratio must be at least 1",
    )
    check(
        set(policy.coverage.texts) >= COVERAGE_TEXTS,
        f"triage.toml [coverage]: need {COVERAGE_TEXTS}",
    )
    known(
        policy.coverage.clinician_texts,
        policy.coverage.texts,
        "text",
        "triage.toml [coverage.clinician]",
    )
    known(policy.coverage.outside, kb.findings, "finding", "triage.toml [coverage.outside]")
    check(set(policy.recovery) == ONSET_TYPES, "triage.toml: recovery for sprint, stretch, unknown")
    known(policy.recovery_caveats, kb.red_flags, "red flag", "triage.toml [recovery_caveats]")
    for recovery in policy.recovery.values():
        where = f"triage.toml [hamstring_strain_recovery.{recovery.onset_type}]"
        check(0 < recovery.low <= recovery.high, f"{where}: need 0 < low <= high")
        known(recovery.refs, kb.references, "reference", where)
