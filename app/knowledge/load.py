"""Parse the TOML knowledge files into a frozen, validated KnowledgeBase.

The service refuses to start on an invalid knowledge base: every problem raises
KnowledgeBaseError naming the file and the entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.knowledge.load_policy import parse_policy
from app.knowledge.model import (
    Cluster,
    Dosage,
    DosagePart,
    Finding,
    KnowledgeBase,
    LikelihoodRatio,
    Modifier,
    Prior,
    Recommendation,
    RedFlag,
    Reference,
    Source,
)
from app.knowledge.parse import Table, cited, clause, read, require
from app.knowledge.validate import KnowledgeBaseError, validate

DATA_DIR = Path(__file__).parent / "data"


def _describe(when: Table) -> str:
    """A stable machine-readable name for a modifier, e.g. 'activities=sprinting|soccer'."""
    parts = []
    for key, value in sorted(when.items()):
        shown = "|".join(value) if isinstance(value, list) else str(value)
        parts.append(f"{key}={shown}")
    return ",".join(parts)


def _label(when: Table) -> str:
    """The same condition in plain words, e.g. 'does sprinting or soccer'."""

    def listed(words: list[str]) -> str:
        words = [w.replace("_", " ") for w in words]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]

    phrases = {
        "activities": lambda v: f"does {listed(v)}",
        "sex": lambda v: str(v),
        "age_min": lambda v: f"aged {v} or over",
        "age_max": lambda v: f"aged {v} or under",
        "duration_weeks_min": lambda v: f"pain for {v:g} weeks or more",
        "duration_weeks_max": lambda v: f"pain for {v:g} weeks or less",
        "unless_longer_than_weeks": lambda v: f"pain for {v:g} weeks or less, or not said",
    }
    return ", ".join(
        phrases[key](value) if key in phrases else f"{key} {value}"
        for key, value in sorted(when.items())
    )


def _sources(raw: dict[str, Any]) -> dict[str, Source]:
    sources = {}
    for source_id, table in raw.items():
        where = f"sources.toml: [{source_id}]"
        prior = require(table, "prior", where)
        modifiers = tuple(
            Modifier(
                when=clause(require(m, "when", where)),
                likelihood_ratio=float(require(m, "likelihood_ratio", where)),
                cited=cited(m, f"{where} modifier"),
                factor=_describe(m["when"]),
                label=_label(m["when"]),
            )
            for m in table.get("modifiers", [])
        )
        sources[source_id] = Source(
            id=source_id,
            name=require(table, "name", where),
            description=require(table, "description", where),
            typical_presentation=require(table, "typical_presentation", where),
            care_when_likely=require(table, "care_when_likely", where),
            references=tuple(table.get("references", ())),
            prior=Prior(
                probability=float(require(prior, "probability", where)),
                cited=cited(prior, f"{where}.prior"),
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
                positive=float(require(entry, "pos", where)),
                negative=float(require(entry, "neg", where)),
                cited=cited(entry, where, level_key="level"),
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
            kind=require(table, "kind", where),
            source=require(table, "source", where),
            name=require(table, "name", where),
            members=tuple(require(table, "members", where)),
            cited=cited(table, where, level_key="level"),
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
            name=require(table, "name", where),
            level=require(table, "level", where),
            action=require(table, "action", where),
            refs=tuple(require(table, "refs", where)),
            triggers=tuple(clause(c) for c in require(table, "triggers", where)),
            screen=tuple(require(table, "screen", where)),
            ask_first=tuple(
                (clause(c), tuple(c.get("ask", table["screen"])))
                for c in table.get("ask_first", ())
            ),
            ask_after_core=tuple(
                (clause(c), tuple(c.get("ask", table["screen"])))
                for c in table.get("ask_after_core", ())
            ),
            note=table.get("note"),
        )
    return flags


def _dosage(table: dict[str, Any]) -> Dosage:
    parts = tuple(DosagePart(**part) for part in table.get("parts", ()))
    return Dosage(**{**table, "parts": parts})


def _recommendations(raw: dict[str, Any]) -> dict[str, Recommendation]:
    items = {}
    for item_id, table in raw.items():
        where = f"recommendations.toml: [{item_id}]"
        dosage = table.get("dosage")
        items[item_id] = Recommendation(
            id=item_id,
            kind=require(table, "kind", where),
            name=require(table, "name", where),
            instructions=require(table, "instructions", where),
            for_sources=tuple(require(table, "for_sources", where)),
            min_band=table.get("min_band", "possible"),
            activities=frozenset(table.get("activities", ())),
            refs=tuple(require(table, "refs", where)),
            evidence_level=require(table, "evidence_level", where),
            dosage=_dosage(dosage) if dosage is not None else None,
            cautions=tuple(table.get("cautions", ())),
            unsafe_with=frozenset(table.get("unsafe_with", ())),
            not_at_levels=frozenset(table.get("not_at_levels", ())),
            onset_types=frozenset(table.get("onset_types", ())),
            companion_of=table.get("companion_of"),
            from_week=table.get("from_week"),
            until_week=table.get("until_week"),
            needs_any=frozenset(table.get("needs_any", ())),
        )
    return items


def load_knowledge_base(directory: Path = DATA_DIR) -> KnowledgeBase:
    """Read, build and validate the knowledge base in `directory`.

    Raises KnowledgeBaseError, naming the file and entry, on any problem.
    """
    try:
        triage = read(directory, "triage.toml")
        kb = KnowledgeBase(
            references=MappingProxyType(
                {
                    ref_id: Reference(ref_id, t["citation"], t.get("doi", ""), t.get("design", ""))
                    for ref_id, t in read(directory, "references.toml").items()
                }
            ),
            findings=MappingProxyType(
                {
                    finding_id: Finding(
                        id=finding_id,
                        **{
                            **t,
                            "moot_if": tuple(t.get("moot_if", ())),
                            "moot_for_sex": tuple(t.get("moot_for_sex", ())),
                        },
                    )
                    for finding_id, t in read(directory, "findings.toml").items()
                }
            ),
            sources=MappingProxyType(_sources(read(directory, "sources.toml"))),
            likelihood_ratios=MappingProxyType(
                {
                    source_id: MappingProxyType(entries)
                    for source_id, entries in _likelihood_ratios(
                        read(directory, "likelihood_ratios.toml")
                    ).items()
                }
            ),
            clusters=MappingProxyType(_clusters(read(directory, "clusters.toml"))),
            red_flags=MappingProxyType(_red_flags(read(directory, "red_flags.toml"))),
            recommendations=MappingProxyType(
                _recommendations(read(directory, "recommendations.toml"))
            ),
            policy=parse_policy(triage),
            activities=tuple(require(triage, "activities", "triage.toml")),
            sexes=tuple(require(triage, "sexes", "triage.toml")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise KnowledgeBaseError(f"malformed knowledge file: {error!r}") from error
    validate(kb)
    return kb


@cache
def default_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_knowledge_base()
