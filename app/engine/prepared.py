"""Tables derived once from a KnowledgeBase so each assessment does no set-up work."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from app.engine.types import Adjustment, Evidence
from app.knowledge.model import Clause, Cluster, KnowledgeBase


class Weighed(NamedTuple):
    """An evidence item built once, with its log factor and its place in the sort order."""

    sort_key: tuple[float, str]
    log_factor: float
    evidence: Evidence


def weigh(evidence: Evidence) -> Weighed:
    """Attach the log factor and the sort key (strongest effect first, then id)."""
    log_factor = math.log(evidence.likelihood_ratio)
    return Weighed((-abs(log_factor), evidence.finding), log_factor, evidence)


@dataclass(frozen=True, slots=True)
class Test:
    """A finding's diagnostic properties for one source, ready for information gain.

    The binary entropies of Se and Sp are stored because the expected information gain,
    written as mutual information H(F) - H(F|S), needs them on every call.
    """

    source_index: int
    sensitivity: float
    specificity: float
    entropy_sensitivity: float
    entropy_specificity: float


def binary_entropy(p: float) -> float:
    """Entropy in bits of a yes/no variable with probability p."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1.0 - p) * math.log2(1.0 - p))


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One source's scoring inputs."""

    id: str
    prior: float
    prior_log_odds: float
    # Findings scored one by one (not in any cluster of this source), as prebuilt
    # (absent, present) evidence, indexed by the answer.
    independent: Mapping[str, tuple[Weighed, Weighed]]
    clusters: tuple[Cluster, ...]
    # (condition, log factor, the adjustment to report)
    modifiers: tuple[tuple[Clause, float, Adjustment], ...]


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """A knowledge base together with the tables the engine derives from it."""

    kb: KnowledgeBase
    sources: tuple[SourceTable, ...]
    # finding id -> (source index, (absent, present) evidence) for every source it moves
    # on its own, so scoring walks the answers once instead of once per source
    by_finding: Mapping[str, tuple[tuple[int, tuple[Weighed, Weighed]], ...]]
    # finding id -> the (source, Se, Sp) triples it informs
    tests: Mapping[str, tuple[Test, ...]]
    # every finding that is not a red-flag screen, in knowledge-base order
    informative_order: tuple[str, ...]
    # (finding id, present) -> the finding in plain words, for explanations
    phrases: Mapping[tuple[str, bool], str]


def _test(source_index: int, positive: float, negative: float) -> Test | None:
    if math.isclose(positive, negative):
        return None
    specificity = (positive - 1.0) / (positive - negative)
    sensitivity = positive * (1.0 - specificity)
    return Test(
        source_index,
        sensitivity,
        specificity,
        binary_entropy(sensitivity),
        binary_entropy(specificity),
    )


def _phrases(kb: KnowledgeBase) -> dict[tuple[str, bool], str]:
    """Each finding as explanations say it: its label, glossed if it is an exam test."""
    absent = kb.policy.rationale.templates["absent"]
    phrases = {}
    for finding in kb.findings.values():
        label = f"{finding.label} ({finding.gloss})" if finding.gloss else finding.label
        phrases[(finding.id, True)] = label
        phrases[(finding.id, False)] = absent.format(label=label)
    return phrases


def prepare(kb: KnowledgeBase) -> Prepared:
    """Derive the engine's lookup tables from `kb` (pure; call once per knowledge base)."""
    sources = []
    tests: dict[str, list[Test]] = {}
    for index, source in enumerate(kb.sources.values()):
        clusters = tuple(c for c in kb.clusters.values() if c.source == source.id)
        clustered = {m for c in clusters for m in c.members}
        entries = kb.likelihood_ratios.get(source.id, {})
        independent = {
            f: (
                weigh(Evidence(f, False, lr.negative, lr.cited.evidence_level)),
                weigh(Evidence(f, True, lr.positive, lr.cited.evidence_level)),
            )
            for f, lr in entries.items()
            if f not in clustered
        }
        sources.append(
            SourceTable(
                id=source.id,
                prior=source.prior.probability,
                prior_log_odds=source.prior.log_odds,
                independent=MappingProxyType(independent),
                clusters=clusters,
                modifiers=tuple(
                    (
                        m.when,
                        math.log(m.likelihood_ratio),
                        Adjustment(m.factor, m.likelihood_ratio, m.cited.evidence_level),
                    )
                    for m in source.modifiers
                ),
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
    by_finding: dict[str, list[tuple[int, tuple[Weighed, Weighed]]]] = {}
    for index, table in enumerate(sources):
        for finding, pair in table.independent.items():
            by_finding.setdefault(finding, []).append((index, pair))
    return Prepared(
        kb=kb,
        sources=tuple(sources),
        by_finding=MappingProxyType({f: tuple(v) for f, v in by_finding.items()}),
        tests=MappingProxyType({f: tuple(t) for f, t in tests.items()}),
        informative_order=tuple(
            f.id for f in kb.findings.values() if f.category != "red_flag_screen"
        ),
        phrases=MappingProxyType(_phrases(kb)),
    )
