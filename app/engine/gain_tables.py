"""What the interview needs to rank questions: each finding as a diagnostic test.

An (LR+, LR-) pair gives sensitivity and specificity back, Sp = (LR+ - 1) / (LR+ - LR-)
and Se = LR+ (1 - Sp); with their binary entropies these are all information gain
needs. Built once per knowledge base by prepare().
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from app.knowledge.model import KnowledgeBase


class Test(NamedTuple):
    """A finding's diagnostic properties for one source, ready for information gain.

    The binary entropies of Se and Sp are stored because the expected information gain,
    written as mutual information H(F) - H(F|S), needs them on every call. A tuple, so
    the hot loop unpacks it instead of looking up five attributes.
    """

    source_index: int
    sensitivity: float
    false_positive_rate: float  # 1 - specificity
    entropy_sensitivity: float
    entropy_specificity: float


def binary_entropy(p: float) -> float:
    """Entropy in bits of a yes/no variable with probability p."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1.0 - p) * math.log2(1.0 - p))


def _test(source_index: int, positive: float, negative: float) -> Test | None:
    if math.isclose(positive, negative):
        return None
    specificity = (positive - 1.0) / (positive - negative)
    sensitivity = positive * (1.0 - specificity)
    return Test(
        source_index,
        sensitivity,
        1.0 - specificity,
        binary_entropy(sensitivity),
        binary_entropy(specificity),
    )


def diagnostic_tests(kb: KnowledgeBase) -> dict[str, tuple[Test, ...]]:
    """Per finding, its Test for every source it informs (a provocation cluster's members
    with the cluster's partial ratios, their effect while the cluster is incomplete)."""
    tests: dict[str, list[Test]] = {}
    for index, source in enumerate(kb.sources.values()):
        entries = kb.likelihood_ratios.get(source.id, {})
        pairs = {f: (lr.positive, lr.negative) for f, lr in entries.items()}
        for cluster in kb.clusters.values():
            if cluster.source == source.id and cluster.kind == "provocation_cluster":
                # A single test's expected effect while the cluster is incomplete.
                partial = (cluster.lr_partial_positive, cluster.lr_partial_negative)
                pairs.update(dict.fromkeys(cluster.members, partial))
        for finding, (positive, negative) in pairs.items():
            test = _test(index, positive, negative)
            if test is not None:
                tests.setdefault(finding, []).append(test)
    return {f: tuple(t) for f, t in tests.items()}


def answer_chances(
    tests: Mapping[str, tuple[Test, ...]], sources: int
) -> dict[str, tuple[tuple[float, float], ...]]:
    """Per finding and source: the chance of a "yes" if that source is the cause, and
    its binary entropy. A source the finding does not inform gets the finding's mean
    false-positive rate over the sources it does inform."""
    chances = {}
    for finding, informed in tests.items():
        background = sum(test.false_positive_rate for test in informed) / len(informed)
        row = [(background, binary_entropy(background))] * sources
        for test in informed:
            row[test.source_index] = (test.sensitivity, test.entropy_sensitivity)
        chances[finding] = tuple(row)
    return chances
