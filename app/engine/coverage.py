"""Say when the picture fits none of the posterior-thigh sources, or points outside them."""

from __future__ import annotations

from app.engine.bayes import Scoring
from app.engine.explain import join
from app.engine.prepared import Prepared
from app.engine.triage_level import answered_patient_history
from app.engine.types import Case, Coverage, RaisedFlag


def assess_coverage(
    case: Case, scoring: Scoring, flags: tuple[RaisedFlag, ...], prepared: Prepared
) -> Coverage:
    """In scope unless a fairly full history fits no source, or findings point elsewhere
    while no posterior-thigh source is likely. A raised red flag keeps the picture in
    scope (the flag covers it) but the note does not claim the sources explain it."""
    policy = prepared.kb.policy.coverage
    texts = policy.texts_for(case.respondent)
    findings = case.findings
    outside = tuple([f for f in policy.outside if findings.get(f) is True])
    bands = scoring.bands
    if outside:
        places = join(list(dict.fromkeys(policy.outside[f] for f in outside)))
        if "likely" in bands:
            note = texts["in_scope_outside_note"].format(places=places)
            return Coverage(True, note, outside)
        return Coverage(False, texts["outside_note"].format(places=places), outside)
    if (
        "likely" not in bands
        and "possible" not in bands
        and answered_patient_history(case, scoring, prepared)
        >= policy.min_answered_patient_findings
    ):
        return Coverage(False, texts["no_source_note"], ())
    if flags:
        return Coverage(True, texts["flagged_note"], ())
    return Coverage(True, texts["in_scope_note"], ())
