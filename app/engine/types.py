"""Plain values that go into and come out of the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple, get_args

from app.knowledge.model import Band, Dosage, EvidenceLevel, RecommendationKind, TriageLevel

Respondent = Literal["patient", "clinician"]
RESPONDENTS: tuple[Respondent, ...] = get_args(Respondent)
Verdict = Literal["likely_hamstring", "possibly_hamstring", "unlikely_hamstring"]
OnsetType = Literal["sprint", "stretch", "unknown"]
QuestionReason = Literal["red_flag_screen", "information_gain"]


@dataclass(frozen=True, slots=True)
class Case:
    """What one person reported.

    `findings` maps a finding id to True (present), False (absent) or None (asked, not
    known). A finding left out has not been asked yet; None and left out both leave
    the scores unchanged, but only a left-out finding may be asked next.
    """

    findings: Mapping[str, bool | None] = field(default_factory=lambda: MappingProxyType({}))
    age: int | None = None
    sex: str | None = None
    activities: frozenset[str] = frozenset()
    duration_weeks: float | None = None
    respondent: Respondent = "patient"


class Evidence(NamedTuple):
    """One known finding and the factor it applied to a source's odds.

    A NamedTuple rather than a frozen dataclass: prepare() builds every item a knowledge
    base can produce once, keys tables by them, and an assessment reports a hundred or
    more of the shared items.
    """

    finding: str
    present: bool
    likelihood_ratio: float
    evidence_level: EvidenceLevel
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A demographic or duration modifier applied to a source's prior odds."""

    factor: str
    likelihood_ratio: float
    evidence_level: EvidenceLevel
    # the factor in plain words ("does sprinting or soccer")
    label: str


class SourceScore(NamedTuple):
    """Posterior probability of one source, with everything that moved it.

    prior odds x product(adjustments) x product(evidence) = posterior odds, exactly.
    A NamedTuple: every assessment builds one per source.
    """

    id: str
    probability: float
    band: Band
    prior: float
    adjustments: tuple[Adjustment, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class RaisedFlag:
    """A red flag whose rule fired, and the findings that fired it."""

    id: str
    level: TriageLevel
    triggered_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triage:
    """What to do next, how soon, and why."""

    level: TriageLevel
    reasons: tuple[str, ...]
    # what to do at this level, worded for whoever answered (patient or clinician)
    advice: str
    # each reason's stable code, in the same order ("red_flag:cauda_equina",
    # "escalation:failed_hamstring_treatment", "clinician_source_likely:sacroiliac_joint")
    reason_codes: tuple[str, ...]


class Advice(NamedTuple):
    """A recommendation selected for this case."""

    id: str
    kind: RecommendationKind
    for_sources: tuple[str, ...]
    dosage: Dosage | None


class Question(NamedTuple):
    """An unanswered finding worth asking next."""

    finding: str
    information_gain: float
    reason: QuestionReason


@dataclass(frozen=True, slots=True)
class HamstringCheck:
    """The answer to "is this really the hamstring?"."""

    probability: float
    verdict: Verdict
    explanation: str
    deciding_findings: tuple[str, ...]
    better_fit: str | None


@dataclass(frozen=True, slots=True)
class Coverage:
    """Whether the picture fits the sources this service assesses."""

    in_scope: bool
    note: str
    pointing_outside: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StrainDetails:
    """Onset mechanism and expected recovery when a hamstring strain is likely."""

    onset_type: OnsetType
    recovery_weeks_low: float
    recovery_weeks_high: float
    references: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the history has got, so an app knows whether the level can still rise."""

    answered: int
    unknown: int
    core_history_asked: bool
    red_flag_screens_asked: bool
    provisional: bool


@dataclass(frozen=True, slots=True)
class Assessment:
    """The engine's whole answer for one case."""

    triage: Triage
    red_flags: tuple[RaisedFlag, ...]
    sources: tuple[SourceScore, ...]
    rationales: Mapping[str, str]
    hamstring_check: HamstringCheck
    hamstring_strain: StrainDetails | None
    coverage: Coverage
    recommendations: tuple[Advice, ...]
    next_questions: tuple[Question, ...]
    progress: Progress
