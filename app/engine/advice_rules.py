"""Recommendations with their selection conditions resolved once per knowledge base."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.knowledge.model import Band, Dosage, KnowledgeBase, RecommendationKind, TriageLevel


@dataclass(frozen=True, slots=True)
class AdviceRule:
    """A recommendation with its selection conditions resolved to source indices."""

    id: str
    kind: RecommendationKind
    dosage: Dosage | None
    is_exercise: bool
    not_at_levels: frozenset[TriageLevel]
    unsafe_with: frozenset[str]
    activities: frozenset[str]
    onset_types: frozenset[str]
    for_sources: tuple[int, ...]
    # the bands that make a listed source count
    accepted: frozenset[Band]
    companion_of: str | None
    from_week: float | None
    until_week: float | None
    needs_any: frozenset[str]


def advice_rules(kb: KnowledgeBase, source_index: Mapping[str, int]) -> tuple[AdviceRule, ...]:
    """Every recommendation of `kb`, its sources given as indices (see `source_index`)."""
    return tuple(
        AdviceRule(
            id=item.id,
            kind=item.kind,
            dosage=item.dosage,
            is_exercise=item.kind == "exercise",
            not_at_levels=item.not_at_levels,
            unsafe_with=item.unsafe_with,
            activities=item.activities,
            onset_types=item.onset_types,
            for_sources=tuple(source_index[s] for s in item.for_sources),
            accepted=frozenset(
                ("likely",) if item.min_band == "likely" else ("likely", "possible")
            ),
            companion_of=item.companion_of,
            from_week=item.from_week,
            until_week=item.until_week,
            needs_any=item.needs_any,
        )
        for item in kb.recommendations.values()
    )
