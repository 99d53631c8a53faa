"""Per-source posterior probabilities: prior odds times likelihood ratios.

Each source is its own yes/no question, so probabilities are independent and need not
sum to one: a hamstring strain and sciatic neural tension can both be likely.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from operator import itemgetter

from app.engine.clauses import holds
from app.engine.prepared import Prepared, SourceTable, Weighed, weigh
from app.engine.types import Case, Evidence, SourceScore
from app.knowledge.model import Band, Cluster, LikelihoodRatio


def band_of(probability: float, likely: float, possible: float) -> Band:
    """Name the band a probability falls in."""
    if probability >= likely:
        return "likely"
    if probability >= possible:
        return "possible"
    return "unlikely"


def _logistic(log_odds: float) -> float:
    # Written so that large magnitudes neither overflow nor lose the [0, 1] bound.
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


def _provocation(cluster: Cluster, answers: Mapping[str, bool | None]) -> list[Evidence]:
    """Score a published cluster rule (e.g. Laslett's sacroiliac provocation tests)."""
    positives = [m for m in cluster.members if answers.get(m) is True]
    negatives = [m for m in cluster.members if answers.get(m) is False]
    unknown = len(cluster.members) - len(positives) - len(negatives)
    level = cluster.cited.evidence_level
    if len(positives) >= cluster.threshold:
        # The whole cluster LR is carried by the positive tests, shared equally.
        share = cluster.lr_cluster_positive ** (1.0 / len(positives))
        factors = dict.fromkeys(positives, share) | dict.fromkeys(negatives, 1.0)
    elif len(positives) + unknown < cluster.threshold:
        share = cluster.lr_cluster_negative ** (1.0 / len(negatives))
        factors = dict.fromkeys(positives, 1.0) | dict.fromkeys(negatives, share)
    else:
        factors = dict.fromkeys(positives, cluster.lr_partial_positive) | dict.fromkeys(
            negatives, cluster.lr_partial_negative
        )
    return [
        Evidence(member, answers[member] is True, factor, level, cluster.id)
        for member, factor in factors.items()
    ]


def _strongest(
    cluster: Cluster, lrs: Mapping[str, LikelihoodRatio], answers: Mapping[str, bool | None]
) -> list[Evidence]:
    """Count only the strongest present and the strongest absent member of a group."""
    evidence = []
    for present in (True, False):
        members = [m for m in cluster.members if answers.get(m) is present]
        if not members:
            continue
        factors = {m: lrs[m].positive if present else lrs[m].negative for m in members}
        strongest = max(members, key=lambda m: (abs(math.log(factors[m])), m))
        for member in members:
            factor = factors[member] if member == strongest else 1.0
            evidence.append(
                Evidence(member, present, factor, cluster.cited.evidence_level, cluster.id)
            )
    return evidence


def _finish(
    table: SourceTable,
    log_odds: float,
    weighed: list[Weighed],
    case: Case,
    prepared: Prepared,
) -> SourceScore:
    """Add a source's modifiers and clusters to its independent evidence and score it."""
    kb = prepared.kb
    adjustments = []
    for clause, log_factor, adjustment in table.modifiers:
        if holds(clause, case):
            log_odds += log_factor
            adjustments.append(adjustment)
    answered = case.findings.keys()
    for cluster in table.clusters:
        if answered.isdisjoint(cluster.members):
            continue
        if cluster.kind == "provocation_cluster":
            grouped = _provocation(cluster, case.findings)
        else:
            grouped = _strongest(cluster, kb.likelihood_ratios[table.id], case.findings)
        for item in grouped:
            scored = weigh(item)
            log_odds += scored.log_factor
            weighed.append(scored)
    weighed.sort(key=itemgetter(0))
    probability = _logistic(log_odds)
    policy = kb.policy
    return SourceScore(
        id=table.id,
        probability=probability,
        band=band_of(probability, policy.likely_threshold, policy.possible_threshold),
        prior=table.prior,
        adjustments=tuple(adjustments),
        evidence=tuple([item.evidence for item in weighed]),
    )


def score_sources(case: Case, prepared: Prepared) -> tuple[SourceScore, ...]:
    """Score every source for `case`, most probable first (ties keep knowledge-base order)."""
    tables = prepared.sources
    log_odds = [table.prior_log_odds for table in tables]
    weighed: list[list[Weighed]] = [[] for _ in tables]
    lookup = prepared.by_finding.get
    for finding, answer in case.findings.items():
        if answer is None:
            continue
        for index, pair in lookup(finding, ()):
            scored = pair[answer]
            log_odds[index] += scored.log_factor
            weighed[index].append(scored)
    scores = [
        (index, _finish(table, log_odds[index], weighed[index], case, prepared))
        for index, table in enumerate(tables)
    ]
    scores.sort(key=lambda pair: (-pair[1].probability, pair[0]))
    return tuple(score for _, score in scores)
