"""Cross-reference and range checks for a freshly built KnowledgeBase.

The clinical entities (findings, sources, likelihood ratios, clusters, red flags,
recommendations) are checked here; the triage policy in validate_policy.py.
"""

from __future__ import annotations

from app.knowledge.checks import (
    BANDS,
    EVIDENCE_LEVELS,
    ID_PATTERN,
    ONSET_TYPES,
    KnowledgeBaseError,
    check,
    check_cited,
    check_clause,
    known,
)
from app.knowledge.model import TRIAGE_LEVELS, Clause, KnowledgeBase
from app.knowledge.validate_policy import validate_policy

__all__ = ["RESPONDENTS", "KnowledgeBaseError", "validate"]

CATEGORIES = {"history", "aggravating", "exam", "red_flag_screen"}
AUDIENCES = {"patient", "clinician"}
# Who answers a request (`respondent`): the same two.
RESPONDENTS = frozenset(AUDIENCES)
CLUSTER_KINDS = {"provocation_cluster", "strongest"}


def _check_likelihood_ratio(positive: float, negative: float, where: str) -> None:
    check(positive > 0 and negative > 0, f"{where}: likelihood ratios must be positive")
    # LR+ and LR- on the same side of 1 would imply a sensitivity or specificity
    # outside [0, 1]: a typo, not a clinical claim.
    check(
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
            check(bool(ID_PATTERN.match(item_id)), f"{name} id '{item_id}' is not snake_case")
    for finding in kb.findings.values():
        where = f"findings.toml: [{finding.id}]"
        check(finding.category in CATEGORIES, f"{where}: bad category '{finding.category}'")
        check(finding.audience in AUDIENCES, f"{where}: bad audience '{finding.audience}'")
        check(bool(finding.question.strip()), f"{where}: empty question")
        if finding.only_if is not None:
            known([finding.only_if], kb.findings, "finding", f"{where} only_if")
            check(finding.only_if != finding.id, f"{where}: only_if names itself")
        known(finding.moot_if, kb.findings, "finding", f"{where} moot_if")
        known(finding.moot_for_sex, kb.sexes, "sex", f"{where} moot_for_sex")
        check(finding.id not in finding.moot_if, f"{where}: moot_if names itself")


def _validate_sources(kb: KnowledgeBase) -> None:
    for source in kb.sources.values():
        where = f"sources.toml: [{source.id}]"
        check(0.0 < source.prior.probability < 1.0, f"{where}: prior must lie in (0, 1)")
        check(source.care_when_likely in TRIAGE_LEVELS, f"{where}: bad care_when_likely")
        check_cited(kb, source.prior.cited, f"{where}.prior")
        known(source.references, kb.references, "reference", where)
        for modifier in source.modifiers:
            mwhere = f"{where} modifier {modifier.factor}"
            check(modifier.likelihood_ratio > 0, f"{mwhere}: likelihood ratio must be positive")
            check_clause(kb, modifier.when, mwhere)
            check_cited(kb, modifier.cited, mwhere)
    known(kb.likelihood_ratios, kb.sources, "source", "likelihood_ratios.toml")
    for source_id, entries in kb.likelihood_ratios.items():
        for finding_id, lr in entries.items():
            where = f"likelihood_ratios.toml: [{source_id}] {finding_id}"
            known([finding_id], kb.findings, "finding", where)
            _check_likelihood_ratio(lr.positive, lr.negative, where)
            check_cited(kb, lr.cited, where)


def _validate_clusters(kb: KnowledgeBase) -> None:
    claimed: dict[tuple[str, str], str] = {}
    for cluster in kb.clusters.values():
        where = f"clusters.toml: [{cluster.id}]"
        check(cluster.kind in CLUSTER_KINDS, f"{where}: bad kind '{cluster.kind}'")
        known([cluster.source], kb.sources, "source", where)
        known(cluster.members, kb.findings, "finding", where)
        check(len(cluster.members) >= 2, f"{where}: a cluster needs two or more members")
        check_cited(kb, cluster.cited, where)
        for member in cluster.members:
            key = (cluster.source, member)
            check(key not in claimed, f"{where}: '{member}' is already in [{claimed.get(key)}]")
            claimed[key] = cluster.id
        if cluster.kind == "provocation_cluster":
            check(0 < cluster.threshold <= len(cluster.members), f"{where}: threshold out of range")
            _check_likelihood_ratio(cluster.lr_cluster_positive, cluster.lr_cluster_negative, where)
            _check_likelihood_ratio(cluster.lr_partial_positive, cluster.lr_partial_negative, where)
            check(
                cluster.lr_cluster_positive >= cluster.lr_partial_positive,
                f"{where}: a completed positive cluster must weigh at least one partial positive",
            )
        else:
            entries = kb.likelihood_ratios.get(cluster.source, {})
            for member in cluster.members:
                check(member in entries, f"{where}: '{member}' has no likelihood ratio")


def _validate_red_flags(kb: KnowledgeBase) -> None:
    for flag in kb.red_flags.values():
        where = f"red_flags.toml: [{flag.id}]"
        check(flag.level in TRIAGE_LEVELS[:-1], f"{where}: bad level '{flag.level}'")
        check(len(flag.triggers) > 0, f"{where}: no triggers")
        known(flag.refs, kb.references, "reference", where)
        known(flag.screen, kb.findings, "finding", where)
        brought = (*flag.ask_first, *flag.ask_after_core)
        for clause in (*flag.triggers, *(c for c, _ in brought)):
            check_clause(kb, clause, where)
        for _, screens in brought:
            known(screens, kb.findings, "finding", where)
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
            check(
                finding_id not in screen_ids or finding_id in alone,
                f"likelihood_ratios.toml: [{source_id}] {finding_id}: a red-flag screen may "
                "move a source only if it fires a red flag on its own",
            )


def _validate_recommendations(kb: KnowledgeBase) -> None:
    for item in kb.recommendations.values():
        where = f"recommendations.toml: [{item.id}]"
        check(item.kind in {"exercise", "advice"}, f"{where}: bad kind")
        check((item.dosage is not None) == (item.kind == "exercise"), f"{where}: dosage")
        known(item.for_sources, kb.sources, "source", where)
        check(item.min_band in BANDS, f"{where}: min_band must be likely or possible")
        known(item.activities, kb.activities, "activity", where)
        known(item.unsafe_with, kb.red_flags, "red flag", where)
        known(item.not_at_levels, TRIAGE_LEVELS, "level", where)
        known(item.refs, kb.references, "reference", where)
        check(item.evidence_level in EVIDENCE_LEVELS, f"{where}: bad evidence level")
        known(item.onset_types, ONSET_TYPES, "onset type", where)
        known(item.needs_any, kb.findings, "finding", where)
        dosage = item.dosage
        if dosage is not None and dosage.sessions_per_day is not None:
            check(
                dosage.sessions_per_week == 7 * dosage.sessions_per_day,
                f"{where}: sessions_per_week must be 7 x sessions_per_day",
            )
        if dosage is not None and dosage.parts:
            first = dosage.parts[0]
            check(
                (first.sets, first.reps, first.sessions_per_week)
                == (dosage.sets, dosage.reps, dosage.sessions_per_week),
                f"{where}: the dosage's figures must be its first part's",
            )
        if item.companion_of is not None:
            known([item.companion_of], kb.recommendations, "recommendation", where)
        check(item.from_week is None or item.from_week > 0, f"{where}: from_week must be positive")
        check(
            item.until_week is None or item.until_week > 0, f"{where}: until_week must be positive"
        )
        if item.from_week is not None and item.until_week is not None:
            check(item.from_week < item.until_week, f"{where}: need from_week < until_week")


def validate(kb: KnowledgeBase) -> None:
    """Raise KnowledgeBaseError on the first inconsistency found in `kb`."""
    _validate_catalogue(kb)
    _validate_sources(kb)
    _validate_clusters(kb)
    _validate_red_flags(kb)
    validate_policy(kb)
    _validate_recommendations(kb)
