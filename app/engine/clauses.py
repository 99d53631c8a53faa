"""Evaluate a knowledge-base Clause against a case."""

from __future__ import annotations

from collections.abc import Mapping

from app.engine.types import Case
from app.knowledge.model import Clause


def holds(clause: Clause, case: Case, bands: Mapping[str, str] | None = None) -> bool:
    """True when every part of `clause` that is set holds for `case`.

    An unknown age, sex or duration never satisfies a clause that needs it: rules fire
    on what was reported, not on guesses. The exception is `unless_longer_than_weeks`,
    which only a reported longer duration switches off (a red flag for new pain must
    not wait for the duration). `bands` (source id -> band) is needed only
    for clauses that name a source.
    """
    findings = case.findings
    for finding in clause.findings:
        if findings.get(finding) is not True:
            return False
    for finding in clause.absent:
        if findings.get(finding) is not False:
            return False
    for finding in clause.unless:
        if findings.get(finding) is True:
            return False
    if clause.activities and not (clause.activities & case.activities):
        return False
    if clause.sex is not None and case.sex != clause.sex:
        return False
    if clause.age_min is not None and (case.age is None or case.age < clause.age_min):
        return False
    if clause.age_max is not None and (case.age is None or case.age > clause.age_max):
        return False
    duration = case.duration_weeks
    if clause.duration_weeks_min is not None and (
        duration is None or duration < clause.duration_weeks_min
    ):
        return False
    if clause.duration_weeks_max is not None and (
        duration is None or duration > clause.duration_weeks_max
    ):
        return False
    if (
        clause.unless_longer_than_weeks is not None
        and duration is not None
        and duration > clause.unless_longer_than_weeks
    ):
        return False
    if clause.source is not None:
        band = (bands or {}).get(clause.source, "unlikely")
        if clause.source_band == "likely" and band != "likely":
            return False
        if clause.source_band == "possible" and band == "unlikely":
            return False
    return True
