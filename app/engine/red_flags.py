"""Red-flag rules: findings that need a clinician whatever the scores say."""

from __future__ import annotations

from app.engine.clauses import holds
from app.engine.prepared import Prepared
from app.engine.types import Case, RaisedFlag


def raise_red_flags(case: Case, present: list[str], prepared: Prepared) -> tuple[RaisedFlag, ...]:
    """Return every red flag whose trigger rule fires, most urgent first.

    `present` lists the findings answered true. `triggered_by` lists the findings of
    every clause that held, so a clinician sees all the reasons, not only the first.
    """
    triggers = prepared.flag_triggers
    # flag position (most urgent first) -> the findings of its clauses that held
    fired: dict[int, set[str]] = {}
    for finding in present:
        for position, clause in triggers.get(finding, ()):
            if holds(clause, case):
                fired.setdefault(position, set()).update(clause.findings)
    for position, clause in prepared.flag_triggers_always:
        if holds(clause, case):
            fired.setdefault(position, set()).update(clause.findings)
    flags = prepared.flags
    return tuple(
        RaisedFlag(flags[position].id, flags[position].level, tuple(sorted(fired[position])))
        for position in sorted(fired)
    )
