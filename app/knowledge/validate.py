"""Cross-reference and range checks for a freshly built KnowledgeBase."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.knowledge.model import TRIAGE_LEVELS, Cited, Clause, KnowledgeBase

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CATEGORIES = {"history", "aggravating", "exam", "red_flag_screen"}
AUDIENCES = {"patient", "clinician"}
# Who answers a request (`respondent`): the same two.
RESPONDENTS = frozenset(AUDIENCES)
EVIDENCE_LEVELS = {"study", "expert_consensus"}
BANDS = {"likely", "possible"}
CLUSTER_KINDS = {"provocation_cluster", "strongest"}
ONSET_TYPES = {"sprint", "stretch", "unknown"}
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


class KnowledgeBaseError(ValueError):
    """The knowledge base is invalid; the message names the file and the entry."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise KnowledgeBaseError(message)


def _known(ids: Iterable[str], valid: Iterable[str], kind: str, where: str) -> None:
    valid_set = set(valid)
    for item in ids:
        _check(item in valid_set, f"{where}: unknown {kind} '{item}'")


def _check_cited(kb: KnowledgeBase, cited: Cited, where: str) -> None:
    _check(cited.evidence_level in EVIDENCE_LEVELS, f"{where}: bad evidence level")
    _check(len(cited.refs) > 0, f"{where}: no citation")
    _known(cited.refs, kb.references, "reference", where)


def _check_clause(kb: KnowledgeBase, clause: Clause, where: str) -> None:
    _known(clause.findings | clause.absent | clause.unless, kb.findings, "finding", where)
    _known(clause.activities, kb.activities, "activity", where)
    if clause.sex is not None:
        _known([clause.sex], kb.sexes, "sex", where)
    if clause.source is not None:
        _known([clause.source], kb.sources, "source", where)
        _check(clause.source_band in BANDS, f"{where}: source clause needs a source_band")


def _check_likelihood_ratio(positive: float, negative: float, where: str) -> None:
    _check(positive > 0 and negative > 0, f"{where}: likelihood ratios must be positive")
    # LR+ and LR- on the same side of 1 would imply a sensitivity or specificity
    # outside [0, 1]: a typo, not a clinical claim.
    _check(
        (positive - 1.0) * (negative - 1.0) <= 0,
        f"{where}: LR+ {positive} and LR- {negative} lie on the same side of 1",
    )


def _validate_catalogue(kb: KnowledgeBase) -> None:
    for collection, name in (
        (kb.findings, "finding"),
        (kb.sources, "source"),
        (kb.red_flags, "red flag"),
        (kb.recommendations, "recommendation"),
        (kb.references, "reference"),
    ):
        for item_id in collection:
            _check(bool(ID_PATTERN.match(item_id)), f"{name} id '{item_id}' is not snake_case")
    for finding in kb.findings.values():
        where = f"findings.toml: [{finding.id}]"
        _check(finding.category in CATEGORIES, f"{where}: bad category '{finding.category}'")
        _check(finding.audience in AUDIENCES, f"{where}: bad audience '{finding.audience}'")
        _check(bool(finding.question.strip()), f"{where}: empty question")
        if finding.only_if is not None:
            _known([finding.only_if], kb.findings, "finding", f"{where} only_if")
            _check(finding.only_if != finding.id, f"{where}: only_if names itself")
        _known(finding.moot_if, kb.findings, "finding", f"{where} moot_if")
        _check(finding.id not in finding.moot_if, f"{where}: moot_if names itself")


def _validate_sources(kb: KnowledgeBase) -> None:
    for source in kb.sources.values():
        where = f"sources.toml: [{source.id}]"
        _check(0.0 < source.prior.probability < 1.0, f"{where}: prior must lie in (0, 1)")
        _check(source.care_when_likely in TRIAGE_LEVELS, f"{where}: bad care_when_likely")
        _check_cited(kb, source.prior.cited, f"{where}.prior")
        _known(source.references, kb.references, "reference", where)
        for modifier in source.modifiers:
            mwhere = f"{where} modifier {modifier.factor}"
            _check(modifier.likelihood_ratio > 0, f"{mwhere}: likelihood ratio must be positive")
            _check_clause(kb, modifier.when, mwhere)
            _check_cited(kb, modifier.cited, mwhere)
    _known(kb.likelihood_ratios, kb.sources, "source", "likelihood_ratios.toml")
    for source_id, entries in kb.likelihood_ratios.items():
        for finding_id, lr in entries.items():
            where = f"likelihood_ratios.toml: [{source_id}] {finding_id}"
            _known([finding_id], kb.findings, "finding", where)
            _check_likelihood_ratio(lr.positive, lr.negative, where)
            _check_cited(kb, lr.cited, where)


def _validate_clusters(kb: KnowledgeBase) -> None:
    claimed: dict[tuple[str, str], str] = {}
    for cluster in kb.clusters.values():
        where = f"clusters.toml: [{cluster.id}]"
        _check(cluster.kind in CLUSTER_KINDS, f"{where}: bad kind '{cluster.kind}'")
        _known([cluster.source], kb.sources, "source", where)
        _known(cluster.members, kb.findings, "finding", where)
        _check(len(cluster.members) >= 2, f"{where}: a cluster needs two or more members")
        _check_cited(kb, cluster.cited, where)
        for member in cluster.members:
            key = (cluster.source, member)
            _check(key not in claimed, f"{where}: '{member}' is already in [{claimed.get(key)}]")
            claimed[key] = cluster.id
        if cluster.kind == "provocation_cluster":
            _check(
                0 < cluster.threshold <= len(cluster.members), f"{where}: threshold out of range"
            )
            _check_likelihood_ratio(cluster.lr_cluster_positive, cluster.lr_cluster_negative, where)
            _check_likelihood_ratio(cluster.lr_partial_positive, cluster.lr_partial_negative, where)
            _check(
                cluster.lr_cluster_positive >= cluster.lr_partial_positive,
                f"{where}: a completed positive cluster must weigh at least one partial positive",
            )
        else:
            entries = kb.likelihood_ratios.get(cluster.source, {})
            for member in cluster.members:
                _check(member in entries, f"{where}: '{member}' has no likelihood ratio")


def _validate_rules(kb: KnowledgeBase) -> None:
    for flag in kb.red_flags.values():
        where = f"red_flags.toml: [{flag.id}]"
        _check(flag.level in TRIAGE_LEVELS[:-1], f"{where}: bad level '{flag.level}'")
        _check(len(flag.triggers) > 0, f"{where}: no triggers")
        _known(flag.refs, kb.references, "reference", where)
        _known(flag.screen, kb.findings, "finding", where)
        brought = (*flag.ask_first, *flag.ask_after_core)
        for clause in (*flag.triggers, *(c for c, _ in brought)):
            _check_clause(kb, clause, where)
        for _, screens in brought:
            _known(screens, kb.findings, "finding", where)
    where = "triage.toml [interview] after_core"
    for when, ask in kb.policy.interview.after_core:
        _check_clause(kb, when, where)
        _known(ask, kb.findings, "finding", where)
    policy = kb.policy
    _check(
        0 < policy.possible_threshold < policy.likely_threshold < 1,
        "triage.toml [bands]: need 0 < possible < likely < 1",
    )
    _check(set(policy.level_advice) == set(TRIAGE_LEVELS), "triage.toml: advice for every level")
    _check(
        set(policy.reasons) == REASON_KEYS,
        f"triage.toml [reasons]: need exactly {sorted(REASON_KEYS)}",
    )
    _known(policy.withhold_exercises_at, TRIAGE_LEVELS, "level", "triage.toml")
    _known(policy.withhold_recommendations_at, TRIAGE_LEVELS, "level", "triage.toml")
    _known(policy.end_interview_at, TRIAGE_LEVELS, "level", "triage.toml")
    _check("emergency" in policy.end_interview_at, "triage.toml: the interview ends at emergency")
    _check("emergency" in policy.withhold_exercises_at, "triage.toml: exercises at emergency")
    escalation_ids = [escalation.id for escalation in policy.escalations]
    _check(len(set(escalation_ids)) == len(escalation_ids), "triage.toml: escalation ids repeat")
    for escalation in policy.escalations:
        where = f"triage.toml escalation '{escalation.reason}'"
        _check(bool(ID_PATTERN.match(escalation.id)), f"{where}: id is not snake_case")
        _check(escalation.level in TRIAGE_LEVELS, f"{where}: bad level")
        _check_clause(kb, escalation.when, where)
    screen_ids = {f.id for f in kb.findings.values() if f.category == "red_flag_screen"}
    # A screen answered yes must never lower the level. If it moved a source without
    # firing a flag on its own, it could make a self-manageable source likely and so
    # remove a reason to see a clinician.
    alone = {
        next(iter(c.findings))
        for flag in kb.red_flags.values()
        for c in flag.triggers
        if len(c.findings) == 1 and c == Clause(findings=c.findings)
    }
    for source_id, entries in kb.likelihood_ratios.items():
        for finding_id in entries:
            _check(
                finding_id not in screen_ids or finding_id in alone,
                f"likelihood_ratios.toml: [{source_id}] {finding_id}: a red-flag screen may "
                "move a source only if it fires a red flag on its own",
            )
    interview = policy.interview
    _known(interview.general_screen_order, screen_ids, "red-flag screen", "triage.toml")
    # they are due as general screens, so they must be among them
    _known(
        interview.must_ask_screens,
        set(interview.general_screen_order),
        "general screen",
        "triage.toml [interview] must_ask_screens",
    )
    _known(interview.core_history, kb.findings, "finding", "triage.toml [interview]")


def _validate_explanations(kb: KnowledgeBase) -> None:
    policy = kb.policy
    check = policy.hamstring_check
    _known(check.sources, kb.sources, "source", "triage.toml [hamstring_check]")
    _check(0 < check.possible < check.likely < 1, "triage.toml [hamstring_check]: bands")
    _check(set(check.texts) >= CHECK_TEXTS, f"triage.toml [hamstring_check]: need {CHECK_TEXTS}")
    _check(
        set(policy.rationale.templates) >= RATIONALE_TEXTS,
        f"triage.toml [rationale]: need {RATIONALE_TEXTS}",
    )
    _check(
        policy.rationale.min_likelihood_ratio >= 1.0,
        "triage.toml [rationale]: min_likelihood_ratio must be at least 1",
    )
    _check(
        set(policy.coverage.texts) >= COVERAGE_TEXTS,
        f"triage.toml [coverage]: need {COVERAGE_TEXTS}",
    )
    _known(policy.coverage.outside, kb.findings, "finding", "triage.toml [coverage.outside]")
    _check(
        set(policy.recovery) == ONSET_TYPES, "triage.toml: recovery for sprint, stretch, unknown"
    )
    _known(policy.recovery_caveats, kb.red_flags, "red flag", "triage.toml [recovery_caveats]")
    for recovery in policy.recovery.values():
        where = f"triage.toml [hamstring_strain_recovery.{recovery.onset_type}]"
        _check(0 < recovery.low <= recovery.high, f"{where}: need 0 < low <= high")
        _known(recovery.refs, kb.references, "reference", where)


def _validate_recommendations(kb: KnowledgeBase) -> None:
    for item in kb.recommendations.values():
        where = f"recommendations.toml: [{item.id}]"
        _check(item.kind in {"exercise", "advice"}, f"{where}: bad kind")
        _check((item.dosage is not None) == (item.kind == "exercise"), f"{where}: dosage")
        _known(item.for_sources, kb.sources, "source", where)
        _check(item.min_band in BANDS, f"{where}: min_band must be likely or possible")
        _known(item.activities, kb.activities, "activity", where)
        _known(item.unsafe_with, kb.red_flags, "red flag", where)
        _known(item.not_at_levels, TRIAGE_LEVELS, "level", where)
        _known(item.refs, kb.references, "reference", where)
        _check(item.evidence_level in EVIDENCE_LEVELS, f"{where}: bad evidence level")
        _known(item.onset_types, ONSET_TYPES, "onset type", where)
        _known(item.needs_any, kb.findings, "finding", where)
        dosage = item.dosage
        if dosage is not None and dosage.sessions_per_day is not None:
            _check(
                dosage.sessions_per_week == 7 * dosage.sessions_per_day,
                f"{where}: sessions_per_week must be 7 x sessions_per_day",
            )
        if dosage is not None and dosage.parts:
            first = dosage.parts[0]
            _check(
                (first.sets, first.reps, first.sessions_per_week)
                == (dosage.sets, dosage.reps, dosage.sessions_per_week),
                f"{where}: the dosage's figures must be its first part's",
            )
        if item.companion_of is not None:
            _known([item.companion_of], kb.recommendations, "recommendation", where)
        _check(item.from_week is None or item.from_week > 0, f"{where}: from_week must be positive")
        _check(
            item.until_week is None or item.until_week > 0, f"{where}: until_week must be positive"
        )
        if item.from_week is not None and item.until_week is not None:
            _check(item.from_week < item.until_week, f"{where}: need from_week < until_week")


def validate(kb: KnowledgeBase) -> None:
    """Raise KnowledgeBaseError on the first inconsistency found in `kb`."""
    _validate_catalogue(kb)
    _validate_sources(kb)
    _validate_clusters(kb)
    _validate_rules(kb)
    _validate_explanations(kb)
    _validate_recommendations(kb)
