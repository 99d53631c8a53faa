"""Exercises and advice for the likely sources, never unsafe given the red flags."""

from __future__ import annotations

from app.engine.advice_rules import AdviceRule
from app.engine.bayes import Scoring
from app.engine.clauses import holds
from app.engine.prepared import Prepared
from app.engine.types import Advice, Case, Coverage, OnsetType, RaisedFlag, Triage


def recommend(
    case: Case,
    scoring: Scoring,
    triage: Triage,
    flags: tuple[RaisedFlag, ...],
    coverage: Coverage,
    onset: OnsetType,
    unsupported: int | None,
    prepared: Prepared,
) -> tuple[Advice, ...]:
    """Select recommendations for sources that reach each item's `min_band`.

    Items for the most probable sources come first; items meant for everyone (no
    sources listed) follow. Exercises are withheld at the levels the policy names
    (always at `emergency`), when the picture is out of scope, while nothing is answered
    or nothing reported points to the likely simple source, and whenever a flag the item
    is unsafe with has fired. Items tied to a strain's onset type follow `onset`; items
    staged by weeks since onset follow the case's duration; items that need a finding (a
    nerve sign for a nerve exercise) wait for it.
    `unsupported` is unsupported_self_care(scoring, prepared).
    """
    policy = prepared.kb.policy
    level = triage.level
    if level in policy.withhold_recommendations_at:
        return ()
    withhold_exercises = (
        level in policy.withhold_exercises_at
        or not coverage.in_scope
        # nothing reported yet points to the likely simple source, or nothing is reported
        # present at all (a "no" to a screen points nowhere): no loading before then
        or unsupported is not None
        or not scoring.present
    )
    raised = {flag.id for flag in flags}
    duration = case.duration_weeks
    if duration is None and holds(policy.fresh_when_duration_unknown, case):
        duration = 0.0
    probabilities, bands = scoring.probabilities, scoring.bands
    # Only items meant for everyone and items for a source in an accepted band qualify.
    candidates = set(prepared.advice_for_everyone)
    for index, band in enumerate(bands):
        if band != "unlikely":
            candidates.update(prepared.advice_for[index][band])
    rules = prepared.advice
    source_ids = prepared.source_ids
    ranked: list[tuple[float, AdviceRule, Advice]] = []
    for position in sorted(candidates):
        rule = rules[position]
        if rule.is_exercise and withhold_exercises:
            continue
        if level in rule.not_at_levels or not rule.unsafe_with.isdisjoint(raised):
            continue
        if rule.activities and rule.activities.isdisjoint(case.activities):
            continue
        if rule.onset_types and onset not in rule.onset_types:
            continue
        # Staged by weeks since onset: nothing heavy in the first days after a strain.
        if rule.from_week is not None and duration is not None and duration < rule.from_week:
            continue
        if rule.until_week is not None and (duration is None or duration >= rule.until_week):
            continue
        if rule.needs_any and rule.needs_any.isdisjoint(scoring.present):
            continue
        # Loops rather than comprehensions: these lists hold a source or two, and on
        # Python 3.11 a comprehension costs a function call.
        matched: list[int] = []
        strength = 0.0
        for index in rule.for_sources:
            if bands[index] in rule.accepted:
                matched.append(index)
                if probabilities[index] > strength:
                    strength = probabilities[index]
        if len(matched) > 1:
            # Most probable first; equally probable sources keep the item's order.
            matched.sort(key=lambda index: -probabilities[index])
        for_sources = tuple(map(source_ids.__getitem__, matched))
        ranked.append((strength, rule, Advice(rule.id, rule.kind, for_sources, rule.dosage)))
    # Stable: equally strong items keep knowledge-base order.
    ranked.sort(key=lambda r: -r[0])
    chosen = {rule.id for _, rule, _ in ranked}
    return tuple(
        [
            advice
            for _, rule, advice in ranked
            if rule.companion_of is None or rule.companion_of in chosen
        ]
    )
