"""Frozen value types for the clinical knowledge base.

These are plain data: the loader builds them once from the TOML files and validates
them; the engine only reads them. Nothing here knows about HTTP.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from app.knowledge.policy import TriagePolicy

EvidenceLevel = Literal["study", "expert_consensus"]
TriageLevel = Literal["emergency", "urgent", "soon", "self_care"]
Band = Literal["likely", "possible", "unlikely"]
Category = Literal["history", "aggravating", "exam", "red_flag_screen"]
Audience = Literal["patient", "clinician"]
RecommendationKind = Literal["exercise", "advice"]

# Most urgent first: the index is the severity rank used everywhere.
TRIAGE_LEVELS: tuple[TriageLevel, ...] = ("emergency", "urgent", "soon", "self_care")
BANDS: tuple[Band, ...] = ("likely", "possible", "unlikely")


def severity(level: TriageLevel) -> int:
    """Return a rank where a larger number is more urgent."""
    return len(TRIAGE_LEVELS) - 1 - TRIAGE_LEVELS.index(level)


@dataclass(frozen=True, slots=True)
class Reference:
    """A bibliographic source that figures in the knowledge base cite."""

    id: str
    citation: str
    doi: str
    design: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One answerable question: a symptom, a history item, an exam test or a screen."""

    id: str
    question: str
    label: str
    category: Category
    audience: Audience
    gloss: str | None = None
    # the label is a plural noun ("pelvic floor symptoms"), so alone it takes "point"
    plural: bool = False
    # how explanations say the finding is absent, where "the absence of <label>" reads
    # badly ("thigh pain that does not change with back movement")
    absent_label: str | None = None
    # asked only while this finding is not answered false (a pop makes sense only after
    # a sudden onset)
    only_if: str | None = None
    # not asked once any of these is answered true (no hopping after a sudden injury or
    # when the leg cannot bear weight)
    moot_if: tuple[str, ...] = ()
    # not asked when the request's sex is one of these (no pregnancy question for a man)
    moot_for_sex: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Clause:
    """A condition over a case; every part that is set must hold.

    Used for red-flag triggers, interview relevance, escalations and demographic
    modifiers, so one evaluator serves all of them.
    """

    findings: frozenset[str] = frozenset()
    # findings that must have been answered `false`
    absent: frozenset[str] = frozenset()
    # findings that must not have been answered `true` (false, null or not asked yet):
    # for rules that an explanation, once reported, switches off
    unless: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    sex: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    duration_weeks_min: float | None = None
    duration_weeks_max: float | None = None
    # holds unless the duration is given and longer: for a rule about new pain that a
    # missing duration must not switch off
    unless_longer_than_weeks: float | None = None
    source: str | None = None
    source_band: Band | None = None


@dataclass(frozen=True, slots=True)
class Cited:
    """Provenance of one figure: how strong the evidence is, and where it comes from."""

    evidence_level: EvidenceLevel
    refs: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Prior:
    """Pre-test probability of a source before any finding is known."""

    probability: float
    cited: Cited

    @property
    def log_odds(self) -> float:
        """Natural-log odds of the prior."""
        return math.log(self.probability / (1.0 - self.probability))


@dataclass(frozen=True, slots=True)
class Modifier:
    """An odds multiplier for age, sex, activity or duration where evidence supports it."""

    when: Clause
    likelihood_ratio: float
    cited: Cited
    factor: str
    # the same condition in plain words ("does sprinting or soccer")
    label: str


@dataclass(frozen=True, slots=True)
class Source:
    """A candidate tissue source of posterior thigh pain."""

    id: str
    name: str
    description: str
    typical_presentation: str
    care_when_likely: TriageLevel
    references: tuple[str, ...]
    prior: Prior
    modifiers: tuple[Modifier, ...]


@dataclass(frozen=True, slots=True)
class LikelihoodRatio:
    """How a finding moves one source: LR+ when present, LR- when absent."""

    source: str
    finding: str
    positive: float
    negative: float
    cited: Cited


@dataclass(frozen=True, slots=True)
class Cluster:
    """Correlated tests combined by a rule rather than multiplied."""

    id: str
    kind: Literal["provocation_cluster", "strongest"]
    source: str
    name: str
    members: tuple[str, ...]
    cited: Cited
    threshold: int = 0
    lr_cluster_positive: float = 1.0
    lr_cluster_negative: float = 1.0
    lr_partial_positive: float = 1.0
    lr_partial_negative: float = 1.0


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A rule that sends the person to a clinician at `level` or sooner."""

    id: str
    name: str
    level: TriageLevel
    action: str
    refs: tuple[str, ...]
    triggers: tuple[Clause, ...]
    screen: tuple[str, ...]
    # (condition, screens to ask first when it holds)
    ask_first: tuple[tuple[Clause, tuple[str, ...]], ...]
    # (condition, screens to ask as soon as the core history is answered): risks that a
    # person's age or sport raises whatever the pain is, which can wait for the history
    ask_after_core: tuple[tuple[Clause, tuple[str, ...]], ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DosagePart:
    """One exercise of a programme that doses its exercises differently (the L-protocol)."""

    name: str
    sets: int
    reps: int
    sessions_per_week: int
    hold_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Dosage:
    """How much of an exercise, and how to progress it."""

    sets: int
    reps: int
    sessions_per_week: int
    progression: str
    hold_seconds: int | None = None
    # for exercises done several times a day (sessions_per_week is then 7 times this)
    sessions_per_day: int | None = None
    # a programme's exercises, each with its own dose (the top-level figures are the first)
    parts: tuple[DosagePart, ...] = ()


@dataclass(frozen=True, slots=True)
class Recommendation:
    """An exercise or a piece of advice, and for whom it is meant."""

    id: str
    kind: RecommendationKind
    name: str
    instructions: str
    for_sources: tuple[str, ...]
    min_band: Band
    activities: frozenset[str]
    refs: tuple[str, ...]
    evidence_level: EvidenceLevel
    dosage: Dosage | None
    cautions: tuple[str, ...]
    unsafe_with: frozenset[str]
    not_at_levels: frozenset[TriageLevel]
    onset_types: frozenset[str] = frozenset()
    companion_of: str | None = None
    # Weeks since onset (the request's duration_weeks): not before `from_week` when the
    # duration is known; only before `until_week`, which needs the duration.
    from_week: float | None = None
    until_week: float | None = None
    # only when at least one of these findings is reported present
    needs_any: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class KnowledgeBase:
    """Everything the engine knows, validated and read-only."""

    references: Mapping[str, Reference]
    findings: Mapping[str, Finding]
    sources: Mapping[str, Source]
    # source id -> finding id -> likelihood ratio (members of provocation clusters have
    # none: the cluster rule scores them)
    likelihood_ratios: Mapping[str, Mapping[str, LikelihoodRatio]]
    clusters: Mapping[str, Cluster]
    red_flags: Mapping[str, RedFlag]
    recommendations: Mapping[str, Recommendation]
    policy: TriagePolicy
    activities: tuple[str, ...] = field(default=())
    sexes: tuple[str, ...] = field(default=())
