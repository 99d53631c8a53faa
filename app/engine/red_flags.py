"""Red-flag rules: findings that need a clinician whatever the scores say."""

from __future__ import annotations

from app.engine.clauses import holds
from app.engine.types import Case, RaisedFlag
from app.knowledge.model import KnowledgeBase, severity


def raise_red_flags(case: Case, kb: KnowledgeBase) -> tuple[RaisedFlag, ...]:
    """Return every red flag whose trigger rule fires, most urgent first.

    `triggered_by` lists the findings of every clause that held, so a clinician sees
    all the reasons, not only the first.
    """
    raised = []
    for flag in kb.red_flags.values():
        fired = [clause for clause in flag.triggers if holds(clause, case)]
        if fired:
            findings = sorted({f for clause in fired for f in clause.findings})
            raised.append(RaisedFlag(flag.id, flag.level, tuple(findings)))
    order = {flag_id: index for index, flag_id in enumerate(kb.red_flags)}
    return tuple(sorted(raised, key=lambda f: (-severity(f.level), order[f.id])))
