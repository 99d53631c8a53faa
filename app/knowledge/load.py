"""Parse the TOML knowledge files into a frozen, validated KnowledgeBase.

The service refuses to start on an invalid knowledge base: every problem raises
KnowledgeBaseError naming the file and the entry.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from app.knowledge.model import (
    Band,
    Cited,
    Clause,
    Cluster,
    CoveragePolicy,
    Dosage,
    Escalation,
    EvidenceLevel,
    Finding,
    HamstringCheckPolicy,
    InterviewPolicy,
    KnowledgeBase,
    LikelihoodRatio,
    Modifier,
    Prior,
    RationalePolicy,
    Recommendation,
    Recovery,
    RedFlag,
    Reference,
    Source,
    TriageLevel,
    TriagePolicy,
)
from app.knowledge.validate import KnowledgeBaseError, validate

DATA_DIR = Path(__file__).parent / "data"

Table = Mapping[str, Any]


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeBaseError(f"{name}: cannot be read: {error}") from error


def _require(table: Table, key: str, where: str) -> Any:
    if key not in table:
        raise KnowledgeBaseError(f"{where}: missing required field '{key}'")
    return table[key]


def _cited(table: Table, where: str, level_key: str = "evidence_level") -> Cited:
    return Cited(
        evidence_level=cast(EvidenceLevel, _require(table, level_key, where)),
        refs=tuple(_require(table, "refs", where)),
        note=table.get("note"),
    )


def _clause(table: Table) -> Clause:
    return Clause(
        findings=frozenset(table.get("all", ())),
        absent=frozenset(table.get("absent", ())),
        activities=frozenset(table.get("activities", ())),
        sex=table.get("sex"),
        age_min=table.get("age_min"),
        age_max=table.get("age_max"),
        duration_weeks_min=table.get("duration_weeks_min"),
        duration_weeks_max=table.get("duration_weeks_max"),
        source=table.get("source"),
        source_band=cast(Band | None, table.get("source_band")),
    )


def _describe(when: Table) -> str:
    """A stable machine-readable name for a modifier, e.g. 'activities=sprinting|soccer'."""
    parts = []
    for key, value in sorted(when.items()):
        shown = "|".join(value) if isinstance(value, list) else str(value)
        parts.append(f"{key}={shown}")
    return ",".join(parts)


def _sources(raw: dict[str, Any]) -> dict[str, Source]:
    sources = {}
    for source_id, table in raw.items():
        where = f"sources.toml: [{source_id}]"
        prior = _require(table, "prior", where)
        modifiers = tuple(
            Modifier(
                when=_clause(_require(m, "when", where)),
                likelihood_ratio=float(_require(m, "likelihood_ratio", where)),
                cited=_cited(m, f"{where} modifier"),
                factor=_describe(m["when"]),
            )
            for m in table.get("modifiers", [])
        )
        sources[source_id] = Source(
            id=source_id,
            name=_require(table, "name", where),
            description=_require(table, "description", where),
            typical_presentation=_require(table, "typical_presentation", where),
            care_when_likely=_require(table, "care_when_likely", where),
            references=tuple(table.get("references", ())),
            prior=Prior(
                probability=float(_require(prior, "probability", where)),
                cited=_cited(prior, f"{where}.prior"),
            ),
            modifiers=modifiers,
        )
    return sources


def _likelihood_ratios(raw: dict[str, Any]) -> dict[str, dict[str, LikelihoodRatio]]:
    table: dict[str, dict[str, LikelihoodRatio]] = {}
    for source_id, entries in raw.items():
        table[source_id] = {}
        for finding_id, entry in entries.items():
            where = f"likelihood_ratios.toml: [{source_id}] {finding_id}"
            table[source_id][finding_id] = LikelihoodRatio(
                source=source_id,
                finding=finding_id,
                positive=float(_require(entry, "pos", where)),
                negative=float(_require(entry, "neg", where)),
                cited=_cited(entry, where, level_key="level"),
            )
    return table


def _clusters(raw: dict[str, Any]) -> dict[str, Cluster]:
    clusters = {}
    for cluster_id, table in raw.items():
        where = f"clusters.toml: [{cluster_id}]"
        numbers = {
            key: float(table[key])
            for key in (
                "lr_cluster_positive",
                "lr_cluster_negative",
                "lr_partial_positive",
                "lr_partial_negative",
            )
            if key in table
        }
        clusters[cluster_id] = Cluster(
            id=cluster_id,
            kind=_require(table, "kind", where),
            source=_require(table, "source", where),
            name=_require(table, "name", where),
            members=tuple(_require(table, "members", where)),
            cited=_cited(table, where, level_key="level"),
            threshold=int(table.get("threshold", 0)),
            **numbers,
        )
    return clusters


def _red_flags(raw: dict[str, Any]) -> dict[str, RedFlag]:
    flags = {}
    for flag_id, table in raw.items():
        where = f"red_flags.toml: [{flag_id}]"
        flags[flag_id] = RedFlag(
            id=flag_id,
            name=_require(table, "name", where),
            level=_require(table, "level", where),
            action=_require(table, "action", where),
            refs=tuple(_require(table, "refs", where)),
            triggers=tuple(_clause(c) for c in _require(table, "triggers", where)),
            screen=tuple(_require(table, "screen", where)),
            ask_first=tuple(
                (_clause(c), tuple(c.get("ask", table["screen"])))
                for c in table.get("ask_first", ())
            ),
            note=table.get("note"),
        )
    return flags


def _recommendations(raw: dict[str, Any]) -> dict[str, Recommendation]:
    items = {}
    for item_id, table in raw.items():
        where = f"recommendations.toml: [{item_id}]"
        dosage = table.get("dosage")
        items[item_id] = Recommendation(
            id=item_id,
            kind=_require(table, "kind", where),
            name=_require(table, "name", where),
            instructions=_require(table, "instructions", where),
            for_sources=tuple(_require(table, "for_sources", where)),
            min_band=table.get("min_band", "possible"),
            activities=frozenset(table.get("activities", ())),
            refs=tuple(_require(table, "refs", where)),
            evidence_level=_require(table, "evidence_level", where),
            dosage=Dosage(**dosage) if dosage is not None else None,
            cautions=tuple(table.get("cautions", ())),
            unsafe_with=frozenset(table.get("unsafe_with", ())),
            not_at_levels=frozenset(table.get("not_at_levels", ())),
            onset_types=frozenset(table.get("onset_types", ())),
            companion_of=table.get("companion_of"),
        )
    return items


def _texts(table: Table) -> MappingProxyType[str, str]:
    return MappingProxyType({k: v for k, v in table.items() if isinstance(v, str)})


def _explanations(raw: dict[str, Any]) -> dict[str, Any]:
    check = _require(raw, "hamstring_check", "triage.toml")
    rationale = _require(raw, "rationale", "triage.toml")
    coverage = _require(raw, "coverage", "triage.toml")
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
        ),
        "coverage": CoveragePolicy(
            min_answered_patient_findings=int(coverage["min_answered_patient_findings"]),
            outside=MappingProxyType(dict(coverage["outside"])),
            texts=_texts(coverage),
        ),
        "recovery": MappingProxyType(
            {
                onset: Recovery(
                    onset, float(r["low"]), float(r["high"]), tuple(r["refs"]), r["note"]
                )
                for onset, r in _require(raw, "hamstring_strain_recovery", "triage.toml").items()
            }
        ),
    }


def _policy(raw: dict[str, Any]) -> TriagePolicy:
    where = "triage.toml"
    bands = _require(raw, "bands", where)
    interview = _require(raw, "interview", where)
    levels = _require(raw, "levels", where)
    return TriagePolicy(
        knowledge_base_version=_require(raw, "knowledge_base_version", where),
        disclaimer=_require(raw, "disclaimer", where),
        withhold_exercises_at=frozenset(_require(raw, "withhold_exercises_at", where)),
        withhold_recommendations_at=frozenset(raw.get("withhold_recommendations_at", ())),
        max_next_questions=int(_require(raw, "max_next_questions", where)),
        likely_threshold=float(_require(bands, "likely", f"{where} [bands]")),
        possible_threshold=float(_require(bands, "possible", f"{where} [bands]")),
        min_answered_patient_findings=int(
            _require(raw["full_history"], "min_answered_patient_findings", where)
        ),
        chronic_weeks=float(_require(raw, "chronic", where)["weeks"]),
        level_advice=MappingProxyType(
            {cast(TriageLevel, level): table["advice"] for level, table in levels.items()}
        ),
        reasons=MappingProxyType(dict(_require(raw, "reasons", where))),
        escalations=tuple(
            Escalation(level=e["level"], reason=e["reason"], when=_clause(e["when"]))
            for e in raw.get("escalations", [])
        ),
        interview=InterviewPolicy(
            initial_screens=int(interview["initial_screens"]),
            information_questions_per_screen=int(interview["information_questions_per_screen"]),
            general_screen_order=tuple(interview["general_screen_order"]),
            core_history=tuple(interview["core_history"]),
        ),
        **_explanations(raw),
    )


def load_knowledge_base(directory: Path = DATA_DIR) -> KnowledgeBase:
    """Read, build and validate the knowledge base in `directory`.

    Raises KnowledgeBaseError, naming the file and entry, on any problem.
    """
    try:
        triage = _read(directory, "triage.toml")
        kb = KnowledgeBase(
            references=MappingProxyType(
                {
                    ref_id: Reference(ref_id, t["citation"], t.get("doi", ""), t.get("design", ""))
                    for ref_id, t in _read(directory, "references.toml").items()
                }
            ),
            findings=MappingProxyType(
                {
                    finding_id: Finding(id=finding_id, **t)
                    for finding_id, t in _read(directory, "findings.toml").items()
                }
            ),
            sources=MappingProxyType(_sources(_read(directory, "sources.toml"))),
            likelihood_ratios=MappingProxyType(
                {
                    source_id: MappingProxyType(entries)
                    for source_id, entries in _likelihood_ratios(
                        _read(directory, "likelihood_ratios.toml")
                    ).items()
                }
            ),
            clusters=MappingProxyType(_clusters(_read(directory, "clusters.toml"))),
            red_flags=MappingProxyType(_red_flags(_read(directory, "red_flags.toml"))),
            recommendations=MappingProxyType(
                _recommendations(_read(directory, "recommendations.toml"))
            ),
            policy=_policy(triage),
            activities=tuple(_require(triage, "activities", "triage.toml")),
            sexes=tuple(_require(triage, "sexes", "triage.toml")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise KnowledgeBaseError(f"malformed knowledge file: {error!r}") from error
    validate(kb)
    return kb


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_knowledge_base()
