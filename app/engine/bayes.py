"""Per-source posterior probabilities: prior odds times likelihood ratios.

Each source is its own yes/no question, so probabilities are independent and need not
sum to one: a hamstring strain and sciatic neural tension can both be likely.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from operator import itemgetter
from typing import NamedTuple

from app.engine.clauses import holds
from app.engine.prepared import Prepared
from app.engine.types import Adjustment, Case, Evidence, SourceScore
from app.knowledge.model import Band


class Scoring(NamedTuple):
    """The scores, with what explanations need from scoring, indexed by source."""

    # most probable first (ties keep knowledge-base order)
    scores: tuple[SourceScore, ...]
    # source index of each score, in the same order
    order: list[int]
    probabilities: list[float]
    bands: list[Band]
    # evidence codes (see prepared.py), strongest first
    codes: list[list[int]]
    # findings answered true, in the order sent
    present: list[str]
    # findings sent as null (asked, not known)
    unanswered: list[str]


def _logistic(log_odds: float) -> float:
    # Written so that large magnitudes neither overflow nor lose the [0, 1] bound.
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


def score_sources(case: Case, prepared: Prepared) -> Scoring:
    """Score every source for `case`.

    Log odds add up in a fixed order (findings as sent, then modifiers, then clusters)
    so that the same case always gives the same floating-point result.
    """
    tables = prepared.sources
    log_odds = list(prepared.prior_log_odds)
    collected: list[int] = []
    extend = collected.extend
    present: list[str] = []
    unanswered: list[str] = []
    if_present = prepared.effects_present.get
    if_absent = prepared.effects_absent.get
    answers = case.findings
    for finding, answer in answers.items():
        if answer:
            present.append(finding)
            effects = if_present(finding)
        elif answer is None:
            unanswered.append(finding)
            continue
        else:
            effects = if_absent(finding)
        if effects is not None:
            found, factors = effects
            extend(found)
            for index, log_factor in factors:
                log_odds[index] += log_factor
    adjustments: list[tuple[Adjustment, ...]] = []
    for index, table in enumerate(tables):
        log = log_odds[index]
        applied: list[Adjustment] = []
        for clause, log_factor, adjustment in table.modifiers:
            if holds(clause, case):
                log += log_factor
                applied.append(adjustment)
        for cluster in table.clusters:
            for log_factor, code in cluster.effects[tuple(map(answers.get, cluster.members))]:
                log += log_factor
                collected.append(code)
        log_odds[index] = log
        adjustments.append(tuple(applied))
    # One sort orders the evidence by source, then strongest first.
    collected.sort()
    policy = prepared.kb.policy
    likely, possible = policy.likely_threshold, policy.possible_threshold
    evidence = prepared.evidence
    probabilities: list[float] = []
    # negated, for sorting most probable first
    improbabilities: list[float] = []
    bands: list[Band] = []
    codes: list[list[int]] = []
    unranked: list[SourceScore] = []
    start = 0
    for index, table in enumerate(tables):
        end = bisect_left(collected, (index + 1) * prepared.ranks, start)
        own = collected[start:end]
        start = end
        probability = _logistic(log_odds[index])
        band: Band = (
            "likely"
            if probability >= likely
            else "possible"
            if probability >= possible
            else "unlikely"
        )
        probabilities.append(probability)
        improbabilities.append(-probability)
        bands.append(band)
        codes.append(own)
        if len(own) > 1:
            # itemgetter builds the tuple in C, several times faster than a comprehension.
            reported: tuple[Evidence, ...] = itemgetter(*own)(evidence)
        else:
            reported = tuple([evidence[code] for code in own])
        unranked.append(
            SourceScore(table.id, probability, band, table.prior, adjustments[index], reported)
        )
    # Stable: sources equally probable keep knowledge-base order.
    order = sorted(range(len(tables)), key=improbabilities.__getitem__)
    return Scoring(
        scores=tuple(map(unranked.__getitem__, order)),
        order=order,
        probabilities=probabilities,
        bands=bands,
        codes=codes,
        present=present,
        unanswered=unanswered,
    )
