"""Parse triage.toml into the TriagePolicy: bands, levels, escalations, interview, texts."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from typing import Any, cast

from app.knowledge.model import TriageLevel
from app.knowledge.parse import Table, clause, require
from app.knowledge.policy import (
    CoveragePolicy,
    Escalation,
    HamstringCheckPolicy,
    InterviewPolicy,
    RationalePolicy,
    Recovery,
    TriagePolicy,
)
from app.knowledge.validate import RESPONDENTS, KnowledgeBaseError


def _texts(table: Table) -> MappingProxyType[str, str]:
    return MappingProxyType({k: v for k, v in table.items() if isinstance(v, str)})


def _for_clinician(table: Table) -> MappingProxyType[str, str]:
    """`table`'s texts with its `clinician` subtable's wording put in their place."""
    return MappingProxyType({**_texts(table), **table.get("clinician", {})})


def _explanations(raw: dict[str, Any]) -> dict[str, Any]:
    check = require(raw, "hamstring_check", "triage.toml")
    rationale = require(raw, "rationale", "triage.toml")
    coverage = require(raw, "coverage", "triage.toml")
    return {
        "hamstring_check": HamstringCheckPolicy(
            sources=tuple(check["sources"]),
            likely=float(check["likely"]),
            possible=float(check["possible"]),
            texts=_texts(check),
        ),
        "rationale": RationalePolicy(
            templates=_texts(rationale),
            max_supporting=int(rationale["max_supporting"]),
            max_opposing=int(rationale["max_opposing"]),
            min_likelihood_ratio=float(require(rationale, "min_likelihood_ratio", "[rationale]")),
        ),
        "coverage": CoveragePolicy(
            min_answered_patient_findings=int(coverage["min_answered_patient_findings"]),
            outside=MappingProxyType(dict(coverage["outside"])),
            texts=_texts(coverage),
            clinician_texts=_for_clinician(coverage),
        ),
        "recovery": MappingProxyType(
            {
                onset: Recovery(
                    onset, float(r["low"]), float(r["high"]), tuple(r["refs"]), r["note"]
                )
                for onset, r in require(raw, "hamstring_strain_recovery", "triage.toml").items()
            }
        ),
        "recovery_caveats": MappingProxyType(dict(raw.get("recovery_caveats", {}))),
    }


def _date(value: object, where: str) -> date:
    # TOML has a native date; a quoted ISO 8601 date is accepted too.
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise KnowledgeBaseError(f"{where}: not an ISO 8601 date ({value!r})") from error


def _follow_ups(interview: Table, where: str) -> MappingProxyType[str, int]:
    # One count per respondent the request can name, each a small non-negative integer.
    table = require(interview, "follow_ups_per_positive", f"{where} [interview]")
    counts = {key: table[key] for key in RESPONDENTS if key in table}
    wrong = set(table) - RESPONDENTS
    if (
        wrong
        or len(counts) != len(RESPONDENTS)
        or not all(type(count) is int and 0 <= count <= 5 for count in counts.values())
    ):
        raise KnowledgeBaseError(
            f"{where} [interview] follow_ups_per_positive: needs an integer from 0 to 5 for "
            f"each of {sorted(RESPONDENTS)}, got {table!r}"
        )
    return MappingProxyType(counts)


def parse_policy(raw: dict[str, Any]) -> TriagePolicy:
    where = "triage.toml"
    bands = require(raw, "bands", where)
    interview = require(raw, "interview", where)
    levels = require(raw, "levels", where)
    return TriagePolicy(
        knowledge_base_version=require(raw, "knowledge_base_version", where),
        released=_date(require(raw, "released", where), f"{where} released"),
        disclaimer=require(raw, "disclaimer", where),
        withhold_exercises_at=frozenset(require(raw, "withhold_exercises_at", where)),
        withhold_recommendations_at=frozenset(raw.get("withhold_recommendations_at", ())),
        fresh_when_duration_unknown=clause(require(raw, "fresh_when_duration_unknown", where)),
        end_interview_at=frozenset(require(raw, "end_interview_at", where)),
        max_next_questions=int(require(raw, "max_next_questions", where)),
        likely_threshold=float(require(bands, "likely", f"{where} [bands]")),
        possible_threshold=float(require(bands, "possible", f"{where} [bands]")),
        min_answered_patient_findings=int(
            require(raw["full_history"], "min_answered_patient_findings", where)
        ),
        chronic_weeks=float(require(raw, "chronic", where)["weeks"]),
        level_advice=MappingProxyType(
            {cast(TriageLevel, level): table["advice"] for level, table in levels.items()}
        ),
        clinician_level_advice=MappingProxyType(
            {
                cast(TriageLevel, level): table["clinician_advice"]
                for level, table in levels.items()
                if "clinician_advice" in table
            }
        ),
        reasons=_texts(require(raw, "reasons", where)),
        clinician_reasons=_for_clinician(raw["reasons"]),
        escalations=tuple(
            Escalation(id=e["id"], level=e["level"], reason=e["reason"], when=clause(e["when"]))
            for e in raw.get("escalations", [])
        ),
        interview=InterviewPolicy(
            initial_screens=int(interview["initial_screens"]),
            must_ask_screens=tuple(interview["must_ask_screens"]),
            must_ask_within=int(interview["must_ask_within"]),
            follow_ups_per_positive=_follow_ups(interview, where),
            general_screen_order=tuple(interview["general_screen_order"]),
            core_history=tuple(interview["core_history"]),
            after_core=tuple(
                (clause(rule), tuple(rule["ask"])) for rule in interview.get("after_core", ())
            ),
        ),
        **_explanations(raw),
    )
