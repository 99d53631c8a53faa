"""The building blocks of knowledge-base validation: the error and its small checks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.knowledge.model import Cited, Clause, KnowledgeBase

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
EVIDENCE_LEVELS = {"study", "expert_consensus"}
BANDS = {"likely", "possible"}
ONSET_TYPES = {"sprint", "stretch", "unknown"}


class KnowledgeBaseError(ValueError):
    """The knowledge base is invalid; the message names the file and the entry."""


def check(condition: bool, message: str) -> None:
    """Raise KnowledgeBaseError with `message` unless `condition` holds."""
    if not condition:
        raise KnowledgeBaseError(message)


def known(ids: Iterable[str], valid: Iterable[str], kind: str, where: str) -> None:
    """Every id of `ids` must be among `valid`."""
    valid_set = set(valid)
    for item in ids:
        check(item in valid_set, f"{where}: unknown {kind} '{item}'")


def check_cited(kb: KnowledgeBase, cited: Cited, where: str) -> None:
    """A figure needs an evidence level and at least one known reference."""
    check(cited.evidence_level in EVIDENCE_LEVELS, f"{where}: bad evidence level")
    check(len(cited.refs) > 0, f"{where}: no citation")
    known(cited.refs, kb.references, "reference", where)


def check_clause(kb: KnowledgeBase, clause: Clause, where: str) -> None:
    """Every finding, activity, sex and source a clause names must exist."""
    known(clause.findings | clause.absent | clause.unless, kb.findings, "finding", where)
    known(clause.activities, kb.activities, "activity", where)
    if clause.sex is not None:
        known([clause.sex], kb.sexes, "sex", where)
    weeks = clause.unless_longer_than_weeks
    check(weeks is None or weeks > 0, f"{where}: unless_longer_than_weeks must be positive")
    if clause.source is not None:
        known([clause.source], kb.sources, "source", where)
        check(clause.source_band in BANDS, f"{where}: source clause needs a source_band")
