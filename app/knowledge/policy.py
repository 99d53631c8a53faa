"""Frozen value types for the triage policy: levels, escalations, interview, explanations.

Kept apart from model.py (the clinical entities) because it is about what the service
does with the scores, not about the evidence itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.knowledge.model import Clause, TriageLevel


@dataclass(frozen=True, slots=True)
class Escalation:
    """A non-red-flag reason to see a clinician (e.g. hamstring rehab that failed)."""

    # stable snake_case id: the reason's code in responses (`escalation:<id>`)
    id: str
    level: TriageLevel
    reason: str
    when: Clause


@dataclass(frozen=True, slots=True)
class InterviewPolicy:
    """When the general red-flag screens and the core history are asked."""

    initial_screens: int
    # screens that become due, even while the core history is still being taken, when the
    # unasked ones would otherwise not all be asked within `must_ask_within` answers
    must_ask_screens: tuple[str, ...]
    must_ask_within: int
    # per respondent: how many questions from outside the core follow each "yes" in it
    follow_ups_per_positive: Mapping[str, int]
    general_screen_order: tuple[str, ...]
    core_history: tuple[str, ...]
    # (when, ask): questions asked as soon as the core history is answered, when the
    # clause holds (the strain's mechanism after a sudden onset)
    after_core: tuple[tuple[Clause, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class HamstringCheckPolicy:
    """Which sources count as "the hamstring", the verdict bands and the sentence templates."""

    sources: tuple[str, ...]
    likely: float
    possible: float
    texts: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RationalePolicy:
    """Templates for the per-source plain-language rationale."""

    templates: Mapping[str, str]
    max_supporting: int
    max_opposing: int
    # evidence closer to 1 than this (either way) is not put in words
    min_likelihood_ratio: float


@dataclass(frozen=True, slots=True)
class CoveragePolicy:
    """When to say the picture lies outside the sources this service assesses."""

    min_answered_patient_findings: int
    # finding id -> the place it points to (e.g. knee_swelling -> "the knee joint")
    outside: Mapping[str, str]
    texts: Mapping[str, str]
    # the same texts for a clinician who answers (the patient's where none is given)
    clinician_texts: Mapping[str, str]

    def texts_for(self, respondent: str) -> Mapping[str, str]:
        """The texts worded for whoever answers (`patient` or `clinician`)."""
        return self.clinician_texts if respondent == "clinician" else self.texts


@dataclass(frozen=True, slots=True)
class Recovery:
    """Expected weeks to return after a hamstring strain of one onset type."""

    onset_type: str
    low: float
    high: float
    refs: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class TriagePolicy:
    """Versions, bands, level advice and escalations."""

    knowledge_base_version: str
    released: date
    disclaimer: str
    withhold_exercises_at: frozenset[TriageLevel]
    withhold_recommendations_at: frozenset[TriageLevel]
    # when the duration is not given and this holds, recommendations staged by weeks
    # since onset are staged as for a fresh injury
    fresh_when_duration_unknown: Clause
    # At these levels the history is over: only red-flag screens are suggested.
    end_interview_at: frozenset[TriageLevel]
    max_next_questions: int
    likely_threshold: float
    possible_threshold: float
    min_answered_patient_findings: int
    chronic_weeks: float
    level_advice: Mapping[TriageLevel, str]
    # the same for a clinician who answers (optional per level: else level_advice)
    clinician_level_advice: Mapping[TriageLevel, str]
    # Reason templates for the non-flag assessment ({name} = a source's name).
    reasons: Mapping[str, str]
    # the same for a clinician who answers (the patient's where none is given)
    clinician_reasons: Mapping[str, str]
    escalations: tuple[Escalation, ...]
    interview: InterviewPolicy
    hamstring_check: HamstringCheckPolicy
    rationale: RationalePolicy
    coverage: CoveragePolicy
    recovery: Mapping[str, Recovery]
    # red flag id -> what the strain's recovery range does not cover when it is raised
    recovery_caveats: Mapping[str, str]

    def reasons_for(self, respondent: str) -> Mapping[str, str]:
        """The reason templates worded for whoever answers (`patient` or `clinician`)."""
        return self.clinician_reasons if respondent == "clinician" else self.reasons
