"""Tables derived once from a KnowledgeBase so each assessment does no set-up work.

Every evidence item an assessment can report (a finding's effect on a source, including
each factor a cluster rule can give) is built here once and given a rank: its place in
the order explanations list evidence, strongest effect first. Its code for source i is
i * (number of ranks) + rank, so one sort of the codes an assessment collects orders the
evidence by source and, within a source, strongest first. The per-item tables are
indexed by code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from app.engine.types import Adjustment, Evidence
from app.knowledge.model import (
    Band,
    Clause,
    Cluster,
    Dosage,
    KnowledgeBase,
    LikelihoodRatio,
    RecommendationKind,
    TriageLevel,
    severity,
)

BANDS: tuple[Band, ...] = ("likely", "possible", "unlikely")
_T = TypeVar("_T")

# Which way an evidence item moves its source.
SUPPORTING, OPPOSING, NEUTRAL = 0, 1, 2

# (log factor, evidence code): one evidence item ready to apply
Effect = tuple[float, int]
# (source index, log factor, evidence code): a finding's effect on one source
SourceEffect = tuple[int, float, int]
# finding id -> its effects on the sources it moves on its own: their evidence codes, and
# (source index, log factor) pairs
EffectTable = Mapping[str, tuple[tuple[int, ...], tuple[tuple[int, float], ...]]]


def _direction(likelihood_ratio: float, threshold: float) -> int:
    """Which way a finding moves a source, for explanations: too weak a move is NEUTRAL."""
    if likelihood_ratio >= threshold:
        return SUPPORTING
    if likelihood_ratio <= 1.0 / threshold:
        return OPPOSING
    return NEUTRAL


class AskFirst(NamedTuple):
    """One "ask first" rule of a red flag: when `clause` holds, ask `screens` early."""

    order: int
    clause: Clause
    screens: tuple[str, ...]


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


# A cluster's members' answers, in member order (None: unknown or not asked)
ClusterState = tuple[bool | None, ...]


@dataclass(frozen=True, slots=True)
class ClusterTable:
    """A cluster rule worked out in advance for every combination of its members' answers.

    Clusters have a handful of members, so the 3 ** members combinations are few; an
    assessment looks its members' answers up instead of applying the rule.
    """

    members: tuple[str, ...]
    effects: Mapping[ClusterState, tuple[Effect, ...]]


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One source's scoring inputs beyond the findings it weighs one by one."""

    id: str
    # the name as it reads mid-sentence
    name_in_sentence: str
    prior: float
    prior_log_odds: float
    clusters: tuple[ClusterTable, ...]
    # (condition, log factor, the adjustment to report)
    modifiers: tuple[tuple[Clause, float, Adjustment], ...]
    # Triage: the level a likely source calls for, and the reasons to give.
    care: TriageLevel
    reason_likely: str
    reason_possible: str


@dataclass(frozen=True, slots=True)
class Wording:
    """Explanation templates split around the finding list, so filling one is a join.

    `heads` and `no_evidence` are indexed by source, then by band; `supporting` and
    `opposing` by whether one finding or several are named.
    """

    heads: tuple[Mapping[Band, str], ...]
    no_evidence: tuple[Mapping[Band, str], ...]
    supporting: tuple[tuple[str, ...], tuple[str, ...]]
    opposing: tuple[tuple[str, ...], tuple[str, ...]]
    max_supporting: int
    max_opposing: int


@dataclass(frozen=True, slots=True)
class FlagTable:
    """A red flag's identity, in the order raised flags are reported."""

    id: str
    level: TriageLevel
    name: str


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


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """A knowledge base together with the tables the engine derives from it."""

    kb: KnowledgeBase
    sources: tuple[SourceTable, ...]
    source_index: Mapping[str, int]
    source_ids: tuple[str, ...]
    prior_log_odds: tuple[float, ...]
    # scoring walks the answers once, each finding's effects looked up by its answer
    effects_present: EffectTable
    effects_absent: EffectTable
    # evidence codes of source i are i * ranks ... (i + 1) * ranks - 1
    ranks: int
    # indexed by evidence code
    evidence: tuple[Evidence, ...]
    evidence_ranks: tuple[int, ...]
    evidence_findings: tuple[str, ...]
    phrases: tuple[str, ...]
    directions: tuple[int, ...]
    # |LR - 1|: which of two effects of a finding is stronger
    strengths: tuple[float, ...]
    wording: Wording
    # source indices of the sources that count as "the hamstring"
    hamstring: frozenset[int]
    # source indices of the sources a person can manage with the advice given
    self_care_sources: tuple[int, ...]
    # red flags most urgent first; trigger clauses indexed by one finding each needs
    flags: tuple[FlagTable, ...]
    flag_triggers: Mapping[str, tuple[tuple[int, Clause], ...]]
    flag_triggers_always: tuple[tuple[int, Clause], ...]
    # patient-answerable findings that are not red-flag screens
    patient_history: frozenset[str]
    advice: tuple[AdviceRule, ...]
    # positions in `advice` of the items listing no source, and, by source index and
    # band, of the items that source qualifies for
    advice_for_everyone: tuple[int, ...]
    advice_for: tuple[Mapping[Band, tuple[int, ...]], ...]
    # finding id -> the (source, Se, Sp) triples it informs
    tests: Mapping[str, tuple[Test, ...]]
    # finding id -> per source index, (chance of "yes" if it is the cause, its entropy)
    answer_chances: Mapping[str, tuple[tuple[float, float], ...]]
    # every finding that is not a red-flag screen, in knowledge-base order
    informative_order: tuple[str, ...]
    # the interview's "ask first" rules as (order, clause, screens), most urgent flag
    # first, indexed like the triggers by one finding each needs
    ask_first: Mapping[str, tuple[AskFirst, ...]]
    ask_first_always: tuple[AskFirst, ...]
    # findings a patient can answer (examination tests are the others)
    patient_answerable: frozenset[str]
    screens: frozenset[str]


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


def _tests(kb: KnowledgeBase) -> dict[str, tuple[Test, ...]]:
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


def _answer_chances(
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


# Gives an evidence item of source i its code (see the module docstring).
Code = Callable[[int, Evidence], int]


def _effect(source_index: int, evidence: Evidence, code: Code) -> Effect:
    return (math.log(evidence.likelihood_ratio), code(source_index, evidence))


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


def _cluster_table(
    source_index: int, cluster: Cluster, lrs: Mapping[str, LikelihoodRatio], code: Code
) -> ClusterTable:
    effects = {}
    for state in itertools.product((None, False, True), repeat=len(cluster.members)):
        answers = dict(zip(cluster.members, state, strict=True))
        if cluster.kind == "provocation_cluster":
            evidence = _provocation(cluster, answers)
        else:
            evidence = _strongest(cluster, lrs, answers)
        effects[state] = tuple(_effect(source_index, e, code) for e in evidence)
    return ClusterTable(cluster.members, MappingProxyType(effects))


def _scoring(
    kb: KnowledgeBase, code: Code
) -> tuple[tuple[SourceTable, ...], EffectTable, EffectTable]:
    """The sources' tables and every finding's effects on the sources it moves alone,
    when present and when absent."""
    effects: dict[str, tuple[list[SourceEffect], list[SourceEffect]]] = {}
    sources = []
    reasons = kb.policy.reasons
    for index, source in enumerate(kb.sources.values()):
        own = [c for c in kb.clusters.values() if c.source == source.id]
        clustered = {m for c in own for m in c.members}
        lrs = kb.likelihood_ratios.get(source.id, {})
        for finding, lr in lrs.items():
            if finding in clustered:
                continue
            level = lr.cited.evidence_level
            absent, present = effects.setdefault(finding, ([], []))
            absent.append(
                (index, *_effect(index, Evidence(finding, False, lr.negative, level), code))
            )
            present.append(
                (index, *_effect(index, Evidence(finding, True, lr.positive, level), code))
            )
        sources.append(
            SourceTable(
                id=source.id,
                name_in_sentence=source.name[:1].lower() + source.name[1:],
                prior=source.prior.probability,
                prior_log_odds=source.prior.log_odds,
                clusters=tuple(_cluster_table(index, c, lrs, code) for c in own),
                modifiers=tuple(
                    (
                        m.when,
                        math.log(m.likelihood_ratio),
                        Adjustment(m.factor, m.likelihood_ratio, m.cited.evidence_level),
                    )
                    for m in source.modifiers
                ),
                care=source.care_when_likely,
                reason_likely=reasons["clinician_source_likely"].format(name=source.name),
                reason_possible=reasons["clinician_source_possible"].format(name=source.name),
            )
        )

    def table(answer: int) -> EffectTable:
        return MappingProxyType(
            {
                f: (tuple(c for _, _, c in e[answer]), tuple((i, x) for i, x, _ in e[answer]))
                for f, e in effects.items()
            }
        )

    return tuple(sources), table(1), table(0)


def _ranked_evidence(kb: KnowledgeBase) -> tuple[Evidence, ...]:
    """Every evidence item scoring can report, in the order explanations list evidence:
    strongest effect first, then by finding id."""
    seen: dict[Evidence, None] = {}

    def collect(source_index: int, evidence: Evidence) -> int:
        seen[evidence] = None
        return 0

    _scoring(kb, collect)
    return tuple(
        sorted(seen, key=lambda e: (-abs(math.log(e.likelihood_ratio)), e.finding, e.present))
    )


def _split(template: str, **fields: str) -> tuple[str, ...]:
    """`template` filled with `fields`, cut where `{findings}` goes."""
    marker = "\x00"
    return tuple(template.format(findings=marker, **fields).split(marker))


def _wording(kb: KnowledgeBase) -> Wording:
    policy = kb.policy.rationale
    templates = policy.templates
    heads = tuple(
        MappingProxyType({band: templates[band].format(name=source.name) for band in BANDS})
        for source in kb.sources.values()
    )
    return Wording(
        heads=heads,
        no_evidence=tuple(
            MappingProxyType(
                {band: templates["no_evidence"].format(head=head) for band, head in by_band.items()}
            )
            for by_band in heads
        ),
        supporting=(
            _split(templates["supporting"], verb="points"),
            _split(templates["supporting"], verb="point"),
        ),
        opposing=(
            _split(templates["opposing"], verb="points"),
            _split(templates["opposing"], verb="point"),
        ),
        max_supporting=policy.max_supporting,
        max_opposing=policy.max_opposing,
    )


def _phrase(kb: KnowledgeBase, evidence: Evidence) -> str:
    """A finding as explanations say it: its label, glossed if it is an exam test."""
    finding = kb.findings[evidence.finding]
    label = f"{finding.label} ({finding.gloss})" if finding.gloss else finding.label
    if evidence.present:
        return label
    return kb.policy.rationale.templates["absent"].format(label=label)


def _flags(
    kb: KnowledgeBase,
) -> tuple[
    tuple[FlagTable, ...],
    dict[str, tuple[tuple[int, Clause], ...]],
    tuple[tuple[int, Clause], ...],
]:
    ordered = sorted(kb.red_flags.values(), key=lambda f: -severity(f.level))
    anchored: dict[str, list[tuple[int, Clause]]] = {}
    always: list[tuple[int, Clause]] = []
    for position, flag in enumerate(ordered):
        for clause in flag.triggers:
            if clause.findings:
                # A clause can only hold when this finding is present.
                anchored.setdefault(min(clause.findings), []).append((position, clause))
            else:
                always.append((position, clause))
    return (
        tuple(FlagTable(f.id, f.level, f.name) for f in ordered),
        {f: tuple(v) for f, v in anchored.items()},
        tuple(always),
    )


def _ask_first(kb: KnowledgeBase) -> tuple[dict[str, tuple[AskFirst, ...]], tuple[AskFirst, ...]]:
    ordered = sorted(kb.red_flags.values(), key=lambda f: -severity(f.level))
    rules = [
        AskFirst(order, clause, screens)
        for order, (clause, screens) in enumerate(
            rule for flag in ordered for rule in flag.ask_first
        )
    ]
    anchored: dict[str, list[AskFirst]] = {}
    for rule in rules:
        if rule.clause.findings:
            # A clause can only hold when this finding is present.
            anchored.setdefault(min(rule.clause.findings), []).append(rule)
    always = tuple(rule for rule in rules if not rule.clause.findings)
    return {f: tuple(v) for f, v in anchored.items()}, always


def _advice(kb: KnowledgeBase, source_index: Mapping[str, int]) -> tuple[AdviceRule, ...]:
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
        )
        for item in kb.recommendations.values()
    )


def prepare(kb: KnowledgeBase) -> Prepared:
    """Derive the engine's lookup tables from `kb` (pure; call once per knowledge base)."""
    ranked = _ranked_evidence(kb)
    count = len(ranked)
    ranks = {item: rank for rank, item in enumerate(ranked)}
    sources, effects_present, effects_absent = _scoring(
        kb, lambda source_index, evidence: source_index * count + ranks[evidence]
    )

    def by_code(per_rank: tuple[_T, ...]) -> tuple[_T, ...]:
        return per_rank * len(sources)

    source_index = {table.id: index for index, table in enumerate(sources)}
    flags, flag_triggers, flag_triggers_always = _flags(kb)
    tests = _tests(kb)
    ask_first, ask_first_always = _ask_first(kb)
    advice = _advice(kb, source_index)
    return Prepared(
        kb=kb,
        sources=sources,
        source_index=MappingProxyType(source_index),
        source_ids=tuple(source_index),
        prior_log_odds=tuple(table.prior_log_odds for table in sources),
        effects_present=effects_present,
        effects_absent=effects_absent,
        ranks=count,
        evidence=by_code(ranked),
        evidence_ranks=by_code(tuple(range(count))),
        evidence_findings=by_code(tuple(e.finding for e in ranked)),
        phrases=by_code(tuple(_phrase(kb, e) for e in ranked)),
        directions=by_code(
            tuple(
                _direction(e.likelihood_ratio, kb.policy.rationale.min_likelihood_ratio)
                for e in ranked
            )
        ),
        strengths=by_code(tuple(abs(e.likelihood_ratio - 1) for e in ranked)),
        wording=_wording(kb),
        hamstring=frozenset(source_index[s] for s in kb.policy.hamstring_check.sources),
        self_care_sources=tuple(i for i, t in enumerate(sources) if t.care == "self_care"),
        flags=flags,
        flag_triggers=MappingProxyType(flag_triggers),
        flag_triggers_always=flag_triggers_always,
        patient_history=frozenset(
            f.id
            for f in kb.findings.values()
            if f.audience == "patient" and f.category != "red_flag_screen"
        ),
        advice=advice,
        advice_for_everyone=tuple(i for i, rule in enumerate(advice) if not rule.for_sources),
        advice_for=tuple(
            MappingProxyType(
                {
                    band: tuple(
                        i
                        for i, rule in enumerate(advice)
                        if index in rule.for_sources and band in rule.accepted
                    )
                    for band in BANDS
                }
            )
            for index in range(len(sources))
        ),
        tests=MappingProxyType(tests),
        answer_chances=MappingProxyType(_answer_chances(tests, len(sources))),
        informative_order=tuple(
            f.id for f in kb.findings.values() if f.category != "red_flag_screen"
        ),
        ask_first=MappingProxyType(ask_first),
        ask_first_always=ask_first_always,
        patient_answerable=frozenset(f.id for f in kb.findings.values() if f.audience == "patient"),
        screens=frozenset(f.id for f in kb.findings.values() if f.category == "red_flag_screen"),
    )
