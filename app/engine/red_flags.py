"""Red-flag rules: findings that need a clinician whatever the scores say."""

from __future__ import annotations

from app.engine.prepared import Prepared
from app.engine.rules import holding
from app.engine.types import Case, RaisedFlag


def raise_red_flags(case: Case, present: list[str], prepared: Prepared) -> tuple[RaisedFlag, ...]:
    """Return every red flag whose trigger rule fires, most urgent first.

    `present` lists the findings answered true. `triggered_by` lists the findings of
    every clause that held, so a clinician sees all the reasons, not only the first.
    """
    # flag position (most urgent first) -> the findings of its clauses that held
    fired: dict[int, set[str]] = {}
    for rule in holding(prepared.flag_triggers, case, present):
        fired.setdefault(rule.then, set()).update(rule.clause.findings)
    flags = prepared.flags
    return tuple(
        RaisedFlag(flags[position].id, flags[position].level, tuple(sorted(fired[position])))
        for position in sorted(fired)
    )
