"""Tables derived once from a KnowledgeBase so each assessment does no set-up work.

Every evidence item an assessment can report (a finding's effect on a source, including
each factor a cluster rule can give) is built here once and given a rank: its place in
the order explanations list evidence, strongest effect first. Its code for source i is
i * (number of ranks) + rank, so one sort of the codes an assessment collects orders the
evidence by source and, within a source, strongest first. The per-item tables are
indexed by code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from app.engine.advice_rules import AdviceRule, advice_rules
from app.engine.clusters import ClusterTable, Code, cluster_table, effect
from app.engine.gain_tables import Test, answer_chances, diagnostic_tests
from app.engine.rules import (
    RuleIndex,
    after_core_rules,
    ask_first_rules,
    flags_by_urgency,
    screens_after_core_rules,
    trigger_rules,
)
from app.engine.types import RESPONDENTS, Adjustment, Evidence
from app.engine.wording import Wording, build_wording, direction, phrase
from app.knowledge.model import (
    BANDS,
    Band,
    Clause,
    KnowledgeBase,
    TriageLevel,
)

_T = TypeVar("_T")

# (source index, log factor, evidence code): a finding's effect on one source
SourceEffect = tuple[int, float, int]
# finding id -> its effects on the sources it moves on its own: their evidence codes, and
# (source index, log factor) pairs
EffectTable = Mapping[str, tuple[tuple[int, ...], tuple[tuple[int, float], ...]]]


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
    # by respondent
    reason_likely: Mapping[str, str]
    reason_possible: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FlagTable:
    """A red flag's identity, in the order raised flags are reported."""

    id: str
    level: TriageLevel
    name: str


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
    # whether an evidence code's phrase is a plural noun (it takes "point", not "points")
    plural: tuple[bool, ...]
    # whether an evidence code reports a finding's absence
    absent: tuple[bool, ...]
    directions: tuple[int, ...]
    # log LR, and the log of the ratio an explanation needs to name a finding
    log_ratios: tuple[float, ...]
    log_threshold: float
    wording: Wording
    # source indices of the sources that count as "the hamstring"
    hamstring: frozenset[int]
    # source indices of the sources a person can manage with the advice given
    self_care_sources: tuple[int, ...]
    # red flags most urgent first, and their trigger rules (`then`: a place in `flags`)
    flags: tuple[FlagTable, ...]
    flag_triggers: RuleIndex[int]
    # patient-answerable findings that are not red-flag screens
    patient_history: frozenset[str]
    advice: tuple[AdviceRule, ...]
    # positions in `advice` of the items listing no source, and, by source index and
    # band, of the items that source qualifies for
    advice_for_everyone: tuple[int, ...]
    advice_for: tuple[Mapping[Band, tuple[int, ...]], ...]
    # finding id -> its diagnostic test for each source it informs
    tests: Mapping[str, tuple[Test, ...]]
    # finding id -> per source index, (chance of "yes" if it is the cause, its entropy)
    answer_chances: Mapping[str, tuple[tuple[float, float], ...]]
    # every finding that is not a red-flag screen, in knowledge-base order
    informative_order: tuple[str, ...]
    # the interview's "ask first" rules (`then`: the screens to bring forward)
    ask_first: RuleIndex[tuple[str, ...]]
    # the questions asked once the core history is answered (`then`: the findings)
    after_core: RuleIndex[tuple[str, ...]]
    # the red-flag screens asked once the core history is answered, before those
    screens_after_core: RuleIndex[tuple[str, ...]]
    # findings a patient can answer (examination tests are the others)
    patient_answerable: frozenset[str]
    screens: frozenset[str]
    # (finding, other, answer): the finding is not asked once `other` is answered `answer`
    # (findings.toml only_if: a "no" makes it meaningless; moot_if: a "yes" does)
    moot_when: tuple[tuple[str, str, bool], ...]
    # (finding, sex): the finding is not asked when the request gives that sex
    moot_for_sex: tuple[tuple[str, str], ...]


def _scoring(
    kb: KnowledgeBase, code: Code
) -> tuple[tuple[SourceTable, ...], EffectTable, EffectTable]:
    """The sources' tables and every finding's effects on the sources it moves alone,
    when present and when absent."""
    effects: dict[str, tuple[list[SourceEffect], list[SourceEffect]]] = {}
    sources = []

    def reason(key: str, name: str) -> Mapping[str, str]:
        # the source's reason worded for each respondent
        return MappingProxyType(
            {r: kb.policy.reasons_for(r)[key].format(name=name) for r in RESPONDENTS}
        )

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
                (index, *effect(index, Evidence(finding, False, lr.negative, level), code))
            )
            present.append(
                (index, *effect(index, Evidence(finding, True, lr.positive, level), code))
            )
        sources.append(
            SourceTable(
                id=source.id,
                name_in_sentence=source.name[:1].lower() + source.name[1:],
                prior=source.prior.probability,
                prior_log_odds=source.prior.log_odds,
                clusters=tuple(cluster_table(index, c, lrs, code) for c in own),
                modifiers=tuple(
                    (
                        m.when,
                        math.log(m.likelihood_ratio),
                        Adjustment(m.factor, m.likelihood_ratio, m.cited.evidence_level, m.label),
                    )
                    for m in source.modifiers
                ),
                care=source.care_when_likely,
                reason_likely=reason("clinician_source_likely", source.name),
                reason_possible=reason("clinician_source_possible", source.name),
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
    tests = diagnostic_tests(kb)
    patient_answerable = frozenset(f.id for f in kb.findings.values() if f.audience == "patient")
    screens = frozenset(f.id for f in kb.findings.values() if f.category == "red_flag_screen")
    advice = advice_rules(kb, source_index)
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
        phrases=by_code(tuple(phrase(kb, e) for e in ranked)),
        plural=by_code(tuple(e.present and kb.findings[e.finding].plural for e in ranked)),
        absent=by_code(tuple(not e.present for e in ranked)),
        directions=by_code(
            tuple(
                direction(e.likelihood_ratio, kb.policy.rationale.min_likelihood_ratio)
                for e in ranked
            )
        ),
        log_ratios=by_code(tuple(math.log(e.likelihood_ratio) for e in ranked)),
        log_threshold=math.log(kb.policy.rationale.min_likelihood_ratio),
        wording=build_wording(kb),
        hamstring=frozenset(source_index[s] for s in kb.policy.hamstring_check.sources),
        self_care_sources=tuple(i for i, t in enumerate(sources) if t.care == "self_care"),
        flags=tuple(FlagTable(f.id, f.level, f.name) for f in flags_by_urgency(kb)),
        flag_triggers=trigger_rules(kb),
        patient_history=patient_answerable - screens,
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
        answer_chances=MappingProxyType(answer_chances(tests, len(sources))),
        informative_order=tuple(
            f.id for f in kb.findings.values() if f.category != "red_flag_screen"
        ),
        ask_first=ask_first_rules(kb),
        after_core=after_core_rules(kb),
        screens_after_core=screens_after_core_rules(kb),
        patient_answerable=patient_answerable,
        screens=screens,
        moot_for_sex=tuple((f.id, sex) for f in kb.findings.values() for sex in f.moot_for_sex),
        moot_when=tuple(
            [(f.id, f.only_if, False) for f in kb.findings.values() if f.only_if is not None]
            + [(f.id, other, True) for f in kb.findings.values() for other in f.moot_if]
        ),
    )
