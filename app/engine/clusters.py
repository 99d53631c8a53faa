"""Cluster rules worked out once for every combination of their members' answers.

Correlated tests are not multiplied blindly: a published provocation cluster (Laslett's
sacroiliac tests) counts its positives against a threshold, and a group of tests of one
thing counts only its strongest present and strongest absent member. A cluster has a
handful of members, so its 3 ** members answer combinations are few; prepare() scores
each once, and an assessment looks its members' answers up.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.engine.types import Evidence
from app.knowledge.model import Cluster, LikelihoodRatio

# (log factor, evidence code): one evidence item ready to apply
Effect = tuple[float, int]

# Gives an evidence item of source i its code (see prepared.py).
Code = Callable[[int, Evidence], int]


def effect(source_index: int, evidence: Evidence, code: Code) -> Effect:
    """`evidence` as applied to source `source_index`: its log factor and its code."""
    return (math.log(evidence.likelihood_ratio), code(source_index, evidence))


# A cluster's members' answers, in member order (None: unknown or not asked)
ClusterState = tuple[bool | None, ...]


@dataclass(frozen=True, slots=True)
class ClusterTable:
    """A cluster rule scored for every combination of its members' answers."""

    members: tuple[str, ...]
    effects: Mapping[ClusterState, tuple[Effect, ...]]


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
        # On a tie the member listed first counts, so the knowledge base decides which
        # of two equally strong tests is reported, not the alphabet.
        strongest = min(members, key=lambda m: (-abs(math.log(factors[m])), members.index(m)))
        for member in members:
            factor = factors[member] if member == strongest else 1.0
            evidence.append(
                Evidence(member, present, factor, cluster.cited.evidence_level, cluster.id)
            )
    return evidence


def cluster_table(
    source_index: int, cluster: Cluster, lrs: Mapping[str, LikelihoodRatio], code: Code
) -> ClusterTable:
    """`cluster` of source `source_index` scored for every answer combination."""
    effects = {}
    for state in itertools.product((None, False, True), repeat=len(cluster.members)):
        answers = dict(zip(cluster.members, state, strict=True))
        if cluster.kind == "provocation_cluster":
            evidence = _provocation(cluster, answers)
        else:
            evidence = _strongest(cluster, lrs, answers)
        effects[state] = tuple(effect(source_index, e, code) for e in evidence)
    return ClusterTable(cluster.members, MappingProxyType(effects))
