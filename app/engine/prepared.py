"""Tables derived once from a KnowledgeBase so each assessment does no set-up work."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.knowledge.model import Cluster, KnowledgeBase, LikelihoodRatio


@dataclass(frozen=True, slots=True)
class Test:
    """A finding's diagnostic properties for one source, ready for information gain."""

    source_index: int
    sensitivity: float
    specificity: float


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One source's scoring inputs."""

    id: str
    prior: float
    prior_log_odds: float
    # Findings scored one by one (not in any cluster of this source).
    independent: Mapping[str, LikelihoodRatio]
    clusters: tuple[Cluster, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """A knowledge base together with the tables the engine derives from it."""

    kb: KnowledgeBase
    sources: tuple[SourceTable, ...]
    # finding id -> the (source, Se, Sp) triples it informs
    tests: Mapping[str, tuple[Test, ...]]
    # finding id -> red flags that screen with it
    screens: Mapping[str, tuple[str, ...]]


def _test(source_index: int, positive: float, negative: float) -> Test | None:
    if math.isclose(positive, negative):
        return None
    specificity = (positive - 1.0) / (positive - negative)
    return Test(source_index, positive * (1.0 - specificity), specificity)


def prepare(kb: KnowledgeBase) -> Prepared:
    """Derive the engine's lookup tables from `kb` (pure; call once per knowledge base)."""
    sources = []
    tests: dict[str, list[Test]] = {}
    for index, source in enumerate(kb.sources.values()):
        clusters = tuple(c for c in kb.clusters.values() if c.source == source.id)
        clustered = {m for c in clusters for m in c.members}
        entries = kb.likelihood_ratios.get(source.id, {})
        sources.append(
            SourceTable(
                id=source.id,
                prior=source.prior.probability,
                prior_log_odds=source.prior.log_odds,
                independent=MappingProxyType(
                    {f: lr for f, lr in entries.items() if f not in clustered}
                ),
                clusters=clusters,
            )
        )
        pairs = {f: (lr.positive, lr.negative) for f, lr in entries.items()}
        for cluster in clusters:
            if cluster.kind == "provocation_cluster":
                # A single test's expected effect while the cluster is incomplete.
                partial = (cluster.lr_partial_positive, cluster.lr_partial_negative)
                pairs.update(dict.fromkeys(cluster.members, partial))
        for finding, (positive, negative) in pairs.items():
            test = _test(index, positive, negative)
            if test is not None:
                tests.setdefault(finding, []).append(test)
    screens: dict[str, list[str]] = {}
    for flag in kb.red_flags.values():
        for finding in flag.screen:
            screens.setdefault(finding, []).append(flag.id)
    return Prepared(
        kb=kb,
        sources=tuple(sources),
        tests=MappingProxyType({f: tuple(t) for f, t in tests.items()}),
        screens=MappingProxyType({f: tuple(s) for f, s in screens.items()}),
    )
