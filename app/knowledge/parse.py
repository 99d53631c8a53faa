"""Small readers shared by the knowledge-base loaders: required fields, citations, clauses."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from app.knowledge.model import Band, Cited, Clause, EvidenceLevel
from app.knowledge.validate import KnowledgeBaseError

Table = Mapping[str, Any]


def read(directory: Path, name: str) -> dict[str, Any]:
    """One knowledge file as a dictionary; unreadable or malformed files are named."""
    path = directory / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeBaseError(f"{name}: cannot be read: {error}") from error


def require(table: Table, key: str, where: str) -> Any:
    """`table[key]`, or an error naming the entry that lacks it."""
    if key not in table:
        raise KnowledgeBaseError(f"{where}: missing required field '{key}'")
    return table[key]


def cited(table: Table, where: str, level_key: str = "evidence_level") -> Cited:
    """The evidence level, references and note of one figure."""
    return Cited(
        evidence_level=cast(EvidenceLevel, require(table, level_key, where)),
        refs=tuple(require(table, "refs", where)),
        note=table.get("note"),
    )


def clause(table: Table) -> Clause:
    """A condition table (`all`, `absent`, `unless`, `age_min`, ...) as a Clause."""
    return Clause(
        findings=frozenset(table.get("all", ())),
        absent=frozenset(table.get("absent", ())),
        unless=frozenset(table.get("unless", ())),
        activities=frozenset(table.get("activities", ())),
        sex=table.get("sex"),
        age_min=table.get("age_min"),
        age_max=table.get("age_max"),
        duration_weeks_min=table.get("duration_weeks_min"),
        duration_weeks_max=table.get("duration_weeks_max"),
        unless_longer_than_weeks=table.get("unless_longer_than_weeks"),
        source=table.get("source"),
        source_band=cast(Band | None, table.get("source_band")),
    )
