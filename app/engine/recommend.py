"""Exercises and advice for the likely sources, never unsafe given the red flags."""

from __future__ import annotations

from app.engine.types import Advice, Case, Coverage, OnsetType, RaisedFlag, SourceScore, Triage
from app.knowledge.model import KnowledgeBase


def recommend(
    case: Case,
    scores: tuple[SourceScore, ...],
    triage: Triage,
    flags: tuple[RaisedFlag, ...],
    coverage: Coverage,
    onset: OnsetType,
    kb: KnowledgeBase,
) -> tuple[Advice, ...]:
    """Select recommendations for sources that reach each item's `min_band`.

    Items for the most probable sources come first; items meant for everyone (no
    sources listed) follow. Exercises are withheld at the levels the policy names
    (always at `emergency`), when the picture is out of scope, and whenever a flag the
    item is unsafe with has fired. Items tied to a strain's onset type follow `onset`.
    """
    probability = {s.id: s.probability for s in scores}
    band = {s.id: s.band for s in scores}
    raised = {flag.id for flag in flags}
    if triage.level in kb.policy.withhold_recommendations_at:
        return ()
    withhold_exercises = triage.level in kb.policy.withhold_exercises_at or not coverage.in_scope
    ranked: list[tuple[float, int, Advice]] = []
    for index, item in enumerate(kb.recommendations.values()):
        if item.kind == "exercise" and withhold_exercises:
            continue
        if triage.level in item.not_at_levels or item.unsafe_with & raised:
            continue
        if item.activities and not item.activities & case.activities:
            continue
        if item.onset_types and onset not in item.onset_types:
            continue
        accepted = ("likely",) if item.min_band == "likely" else ("likely", "possible")
        matched = tuple(s for s in item.for_sources if band[s] in accepted)
        if item.for_sources and not matched:
            continue
        strength = max((probability[s] for s in matched), default=0.0)
        matched = tuple(sorted(matched, key=lambda s: -probability[s]))
        ranked.append((strength, index, Advice(item.id, item.kind, matched, item.dosage)))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    chosen = {advice.id for _, _, advice in ranked}
    return tuple(
        advice
        for _, _, advice in ranked
        if kb.recommendations[advice.id].companion_of in (None, *chosen)
    )
