"""The overall triage level: the most urgent of the red flags and the non-flag picture."""

from __future__ import annotations

from types import MappingProxyType

from app.engine.bayes import Scoring
from app.engine.clauses import holds
from app.engine.explain import join
from app.engine.prepared import Prepared
from app.engine.types import Case, Coverage, RaisedFlag, Triage
from app.engine.wording import SUPPORTING
from app.knowledge.model import TRIAGE_LEVELS, severity

_SEVERITY = MappingProxyType({level: severity(level) for level in TRIAGE_LEVELS})
_BY_SEVERITY = MappingProxyType({severity(level): level for level in TRIAGE_LEVELS})


def answered_patient_history(case: Case, scoring: Scoring, prepared: Prepared) -> int:
    """How many patient-answerable, non-screen findings have a true/false answer."""
    history = prepared.patient_history
    answered = len(history.intersection(case.findings))
    if scoring.unanswered:
        answered -= len(history.intersection(scoring.unanswered))
    return answered


def unsupported_self_care(scoring: Scoring, prepared: Prepared) -> int | None:
    """The most probable likely self-manageable source when nothing reported points to any
    of them (None otherwise).

    Self-care needs something reported that points to the simple source: a source likely
    from the starting estimate for this age and sport alone is not yet a reason to call
    the pain safe to manage, nor to start loading it (nothing may have been asked yet).
    """
    bands = scoring.bands
    simple = [
        index
        for index in scoring.order
        if bands[index] == "likely" and index in prepared.self_care_sources
    ]
    directions = prepared.directions
    for index in simple:
        if any(directions[code] == SUPPORTING for code in scoring.codes[index]):
            return None
    return simple[0] if simple else None


def decide_triage(
    case: Case,
    flags: tuple[RaisedFlag, ...],
    scoring: Scoring,
    coverage: Coverage,
    unsupported: int | None,
    prepared: Prepared,
) -> Triage:
    """Choose the level and collect the reasons for it.

    A red flag never lowers the level. Without flags the level is `self_care` only when a
    source a person can manage is likely and nothing calls for more: a likely (or, with
    nothing simpler likely, possible) source that needs a clinician, an escalation rule
    (failed hamstring treatment, nerve root signs, long duration), or a picture out of
    scope. When no source is likely at all, the level is `soon`. Self-care names the
    simple cause that is likely as its reason. The reasons and the level's advice are
    worded for the respondent.
    """
    kb = prepared.kb
    policy = kb.policy
    reasons = policy.reasons_for(case.respondent)
    bands = scoring.bands
    # Whether a source a person can manage with the advice given is likely: the most
    # probable such source is the reason self-care is enough.
    simple = next(
        (
            index
            for index in scoring.order
            if bands[index] == "likely" and index in prepared.self_care_sources
        ),
        None,
    )
    simple_likely = simple is not None
    self_care = (
        (_SEVERITY["self_care"], "", "")
        if simple is None or unsupported is not None
        else (
            _SEVERITY["self_care"],
            reasons["self_care_likely"].format(name=kb.sources[prepared.source_ids[simple]].name),
            f"self_care_likely:{prepared.source_ids[simple]}",
        )
    )
    # (severity, reason, code) of every level the case calls for; the code is the
    # reason's stable machine-readable name
    candidates: list[tuple[int, str, str]] = [self_care]
    for flag in flags:
        candidates.append(
            (_SEVERITY[flag.level], kb.red_flags[flag.id].name, f"red_flag:{flag.id}")
        )
    # `unsupported`: unsupported_self_care(scoring, prepared), found once by the caller
    if unsupported is not None:
        source_id = prepared.source_ids[unsupported]
        name = kb.sources[source_id].name
        candidates.append(
            (
                _SEVERITY["soon"],
                reasons["likely_unsupported"].format(name=name),
                f"likely_unsupported:{source_id}",
            )
        )
    # A likely source that needs a clinician (e.g. obturator internus) sets its level. When
    # no source is likely, a possible clinician-needing source does too: uncertainty
    # that includes such a source is a reason to be examined. (With a likely one, the
    # possible ones would only repeat its reason, each under another name.)
    named = len(candidates)
    any_likely = "likely" in bands
    for index in scoring.order:
        table = prepared.sources[index]
        band = bands[index]
        if table.care == "self_care" or band == "unlikely":
            continue
        if band == "likely":
            code = f"clinician_source_likely:{table.id}"
            candidates.append((_SEVERITY[table.care], table.reason_likely[case.respondent], code))
        elif not any_likely:
            code = f"clinician_source_possible:{table.id}"
            candidates.append((_SEVERITY[table.care], table.reason_possible[case.respondent], code))
    # whether a source that needs a clinician was named as the reason
    named_a_source = len(candidates) > named
    by_id = dict(zip(prepared.source_index, bands, strict=True))
    for escalation in policy.escalations:
        if holds(escalation.when, case, by_id):
            code = f"escalation:{escalation.id}"
            candidates.append((_SEVERITY[escalation.level], escalation.reason, code))
    if not coverage.in_scope:
        coverage_policy = policy.coverage
        texts = coverage_policy.texts_for(case.respondent)
        places = list(dict.fromkeys(coverage_policy.outside[f] for f in coverage.pointing_outside))
        # Name where the answers point, when they do (the blood supply of the leg).
        reason = texts["reason_outside"].format(places=join(places)) if places else texts["reason"]
        candidates.append((_SEVERITY["soon"], reason, "out_of_scope"))
    duration = case.duration_weeks
    if not simple_likely and duration is not None and duration >= policy.chronic_weeks:
        candidates.append((_SEVERITY["soon"], reasons["chronic_unclear"], "chronic_unclear"))
    if not any_likely and not named_a_source and coverage.in_scope:
        # Self-care needs a simple cause that is likely; short of one, the safe default is
        # a clinician's assessment, whether the history is complete or still being taken.
        # A possible source that needs a clinician, named above, already says so, as does
        # a picture out of scope (whose note says why: "the next questions can narrow it
        # down" would contradict a history already too full to fit any source).
        if (
            answered_patient_history(case, scoring, prepared)
            >= policy.min_answered_patient_findings
        ):
            key = "no_clear_source"
        elif prepared.patient_history.issubset(case.findings):
            # Every history question asked, too few answered: no next question can help.
            key = "no_clear_source_unanswered"
        else:
            key = "no_clear_source_yet"
        candidates.append((_SEVERITY["soon"], reasons[key], key))
    top = max([rank for rank, _, _ in candidates])
    # One entry per distinct sentence, in the order found, with the first code given it.
    kept: dict[str, str] = {}
    for rank, reason, code in candidates:
        if reason and rank == top:
            kept.setdefault(reason, code)
    level = _BY_SEVERITY[top]
    advice = policy.level_advice[level]
    if case.respondent == "clinician":
        advice = policy.clinician_level_advice.get(level, advice)
    return Triage(
        level=level, reasons=tuple(kept), advice=advice, reason_codes=tuple(kept.values())
    )
