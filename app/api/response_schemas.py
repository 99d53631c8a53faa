"""Response wire models: the single source of truth for the /v1/triage response shape
(the request shape is in schemas.py). The committed OpenAPI document and JSON Schemas
are generated from them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["emergency", "urgent", "soon", "self_care"]
EvidenceLevelField = Literal["study", "expert_consensus"]
OUT = ConfigDict(extra="forbid")


class TriageOut(BaseModel):
    model_config = OUT
    level: Level = Field(
        description=(
            "emergency: now, emergency department or ambulance; urgent: a clinician within "
            "24 hours; soon: a clinician within 1-2 weeks; self_care: manage with the advice."
        )
    )
    advice: str = Field(
        description="What to do next, in plain language, worded for the respondent (a"
        " patient, or a clinician when `respondent` is `clinician`)."
    )
    reasons: list[str] = Field(description="Why this level: red flags and escalation rules.")
    reason_codes: list[str] = Field(
        description=(
            "Each reason's stable code, in the same order as `reasons`, to link or translate"
            " them: `red_flag:<flag id>`, `escalation:<id>`, `clinician_source_likely:<source"
            " id>`, `clinician_source_possible:<source id>`, `likely_unsupported:<source id>`,"
            " `self_care_likely:<source id>`, `out_of_scope`, `chronic_unclear`,"
            " `no_clear_source`, `no_clear_source_yet`, `no_clear_source_unanswered`."
        )
    )


class RedFlagOut(BaseModel):
    model_config = OUT
    id: str
    name: str
    level: Level = Field(description="The least urgent level this red flag allows.")
    action: str = Field(description="What to do, in plain language.")
    triggered_by: list[str] = Field(description="Finding ids that fired the rule.")


class EvidenceOut(BaseModel):
    model_config = OUT
    finding: str
    present: bool
    likelihood_ratio: float = Field(
        description="Factor applied to the source's odds (LR+ if present, LR- if absent)."
    )
    evidence_level: EvidenceLevelField
    group: str | None = Field(
        default=None,
        description="Cluster of correlated tests this finding was scored in, if any.",
    )


class AdjustmentOut(BaseModel):
    model_config = OUT
    factor: str = Field(description="The condition that held, e.g. `activities=sprinting|soccer`.")
    label: str = Field(description="The condition in plain words, e.g. `does sprinting or soccer`.")
    likelihood_ratio: float
    evidence_level: EvidenceLevelField


class SourceOut(BaseModel):
    model_config = OUT
    id: str
    name: str
    probability: float = Field(ge=0, le=1, description="Posterior probability of this source.")
    band: Literal["likely", "possible", "unlikely"]
    prior: float = Field(ge=0, le=1)
    rationale: str = Field(
        description="One or two plain-language sentences built from the strongest evidence."
    )
    adjustments: list[AdjustmentOut]
    evidence: list[EvidenceOut] = Field(description="Known findings, strongest effect first.")


class DosagePartOut(BaseModel):
    model_config = OUT
    name: str
    sets: int
    reps: int
    sessions_per_week: int
    hold_seconds: int | None = None


class DosageOut(BaseModel):
    model_config = OUT
    sets: int
    reps: int
    sessions_per_week: int
    sessions_per_day: int | None = Field(
        default=None,
        description="Set for exercises done several times a day (sessions_per_week = 7 x this).",
    )
    hold_seconds: int | None = None
    parts: list[DosagePartOut] = Field(
        default_factory=list,
        description="A programme's exercises, each with its own dose (the L-protocol's"
        " Extender, Diver and Glider); the figures above are the first part's.",
    )
    progression: str


class RecommendationOut(BaseModel):
    model_config = OUT
    id: str
    kind: Literal["exercise", "advice"]
    name: str
    instructions: str
    for_sources: list[str] = Field(description="Sources this serves; empty means everyone.")
    dosage: DosageOut | None
    cautions: list[str]
    evidence_level: EvidenceLevelField
    references: list[str] = Field(description="Reference ids; see GET /v1/exercises.")


class NextQuestionOut(BaseModel):
    model_config = OUT
    finding: str
    question: str
    category: Literal["history", "aggravating", "exam", "red_flag_screen"]
    audience: Literal["patient", "clinician"]
    information_gain: float = Field(
        ge=0,
        description=(
            "Expected drop in uncertainty over the sources, in bits. The list is in the "
            "order to ask, which is not a sort by this figure: relevant red-flag screens "
            "come first, then the core history and its follow-ups, then the safety "
            "checklist, then the rest."
        ),
    )
    reason: Literal["red_flag_screen", "information_gain"] = Field(
        description=(
            "`red_flag_screen`: asked for the danger it could reveal, whatever its "
            "information gain. `information_gain`: asked to tell the sources apart."
        )
    )


class HamstringCheckOut(BaseModel):
    """Is it really the hamstring?"""

    model_config = OUT
    probability: float = Field(
        ge=0,
        le=1,
        description=(
            "Probability that a hamstring source (strain or proximal tendinopathy) explains "
            "the pain: 1 - (1 - p_strain)(1 - p_tendinopathy)."
        ),
    )
    verdict: Literal["likely_hamstring", "possibly_hamstring", "unlikely_hamstring"] = Field(
        description=(
            "likely_hamstring: probability at least 0.5, something reported points to it,"
            " no other source that is itself likely more probable, and, unless a strain or"
            " a tendinopathy is likely on its own, no other possible source that the"
            " findings point to more probable than each; possibly_hamstring: at least 0.2"
            " (or at least 0.5 but outranked, the other source then named in better_fit, or"
            " with nothing reported for it yet, which the explanation says);"
            " unlikely_hamstring: below 0.2. Before anything points to it the probability"
            " follows the starting estimate for this age and sport."
        )
    )
    explanation: str = Field(
        description=(
            "One plain-language sentence naming what decided it; when a red flag is raised"
            " it starts with the flags that must be checked first."
        )
    )
    deciding_findings: list[str] = Field(description="Finding ids named in the explanation.")
    better_fit: str | None = Field(
        description=(
            "When the verdict is not likely: the most probable source outside the hamstring"
            " if it is likely or outranks the hamstring sources. Null with a likely"
            " verdict; a source that is likely too is then named in the explanation."
        )
    )


class CoverageOut(BaseModel):
    """Whether the picture fits the posterior-thigh sources this service assesses."""

    model_config = OUT
    in_scope: bool = Field(
        description="False when findings point outside the posterior thigh or a fairly full "
        "history fits no source; then the level is at least `soon` and no exercises are given."
    )
    note: str
    pointing_outside: list[str] = Field(description="Finding ids that point elsewhere.")


class RecoveryWeeksOut(BaseModel):
    model_config = OUT
    low: float
    high: float
    references: list[str]
    note: str


class HamstringStrainOut(BaseModel):
    """Mechanism and recovery range, present only when a hamstring strain is likely."""

    model_config = OUT
    onset_type: Literal["sprint", "stretch", "unknown"] = Field(
        description="Sprint-type (high-speed running) or stretch-type (kick, splits, dance, "
        "water skiing) strain, from onset_during_sprint / onset_during_stretch."
    )
    expected_recovery_weeks: RecoveryWeeksOut


class MetaOut(BaseModel):
    model_config = OUT
    knowledge_base_version: str
    engine_version: str
    disclaimer: str


class ProgressOut(BaseModel):
    """How far the history has got."""

    model_config = OUT
    answered: int = Field(ge=0, description="Findings answered true or false.")
    unknown: int = Field(ge=0, description="Findings answered null (asked, not known).")
    core_history_asked: bool = Field(
        description="Every question of the core history has been asked (null counts)."
    )
    red_flag_screens_asked: bool = Field(
        description="Every red-flag screen of the safety checklist has been asked (null counts)."
    )
    provisional: bool = Field(
        description=(
            "True while the questions every interview asks are not all asked, so the level"
            " can still rise; false once they are, or at emergency. An app may hold back a"
            " self-care message while this is true."
        )
    )


class TriageResponse(BaseModel):
    """The assessment."""

    model_config = OUT
    triage: TriageOut
    red_flags: list[RedFlagOut]
    sources: list[SourceOut] = Field(description="Every source, most probable first.")
    hamstring_check: HamstringCheckOut
    hamstring_strain: HamstringStrainOut | None = Field(
        description="Onset type and recovery range when a hamstring strain is likely, else null."
    )
    coverage: CoverageOut
    recommendations: list[RecommendationOut]
    next_questions: list[NextQuestionOut]
    progress: ProgressOut
    meta: MetaOut
