"""Is it really the hamstring? The combined probability, its verdict, and strain details."""

from __future__ import annotations

from app.engine.bayes import Scoring
from app.engine.explain import join, listed, several
from app.engine.prepared import Prepared
from app.engine.types import (
    Case,
    HamstringCheck,
    OnsetType,
    RaisedFlag,
    StrainDetails,
    Verdict,
)
from app.engine.wording import OPPOSING, SUPPORTING


def _combined_evidence(
    hamstring: list[int], combined: float, scoring: Scoring, prepared: Prepared
) -> list[tuple[int, int]]:
    """(code, direction) for each finding reported for a hamstring source whose net effect
    on the combined probability is strong enough to name, strongest first.

    A finding can move the two hamstring sources opposite ways (deep buttock pain makes a
    strain less likely and a tendinopathy more): what counts for "is it the hamstring?"
    is its net effect on the log odds of the combined probability P = 1 - prod(1 - p_i).
    To first order that is sum_i (p_i / P) log LR_i: each source's ratio weighted by its
    share of P. `combined` is P.
    """
    probabilities = scoring.probabilities
    if combined <= 0.0:
        return []
    findings = prepared.evidence_findings
    log_ratios = prepared.log_ratios
    # finding -> [net effect, a code that reports it]
    net: dict[str, list[float | int]] = {}
    for index in hamstring:
        weight = probabilities[index] / combined
        for code in scoring.codes[index]:
            entry = net.get(findings[code])
            if entry is None:
                net[findings[code]] = [weight * log_ratios[code], code]
            else:
                entry[0] += weight * log_ratios[code]
    threshold = prepared.log_threshold
    ranks = prepared.evidence_ranks
    # Too weak a net effect is never put in words: only the others are ranked.
    ranked = sorted(
        (-abs(effect), ranks[int(code)], int(code), float(effect))
        for effect, code in net.values()
        if abs(effect) >= threshold
    )
    return [(code, SUPPORTING if effect > 0 else OPPOSING) for _, _, code, effect in ranked]


def _first(evidence: list[tuple[int, int]], direction: int, limit: int) -> list[int]:
    """The first `limit` codes of `evidence` moving the hamstring in `direction`."""
    chosen = []
    for code, way in evidence:
        if way == direction:
            chosen.append(code)
            if len(chosen) == limit:
                break
    return chosen


def _flags_first(flags: tuple[RaisedFlag, ...], verdict: str, prepared: Prepared) -> str:
    """The verdict's sentence after the red flags that must be ruled out first."""
    names = [prepared.kb.red_flags[flag.id].name for flag in flags]
    names[1:] = [name[0].lower() + name[1:] for name in names[1:]]
    return prepared.kb.policy.hamstring_check.texts["red_flag_first_text"].format(
        flags=join(names), verdict=verdict
    )


def check_hamstring(
    scoring: Scoring, flags: tuple[RaisedFlag, ...], prepared: Prepared
) -> HamstringCheck:
    """Probability that a hamstring source explains the pain, with a one-sentence reason.

    The hamstring sources are independent yes/no questions, so the chance that at least
    one is present is 1 - product(1 - p). With a red flag raised the sentence starts
    with what must be ruled out first (`flags`, most urgent first).
    """
    policy = prepared.kb.policy.hamstring_check
    texts = policy.texts
    probabilities = scoring.probabilities
    bands = scoring.bands
    hamstring: list[int] = []
    # the most probable source that is not a hamstring source
    other: int | None = None
    remaining = 1.0
    for index in scoring.order:
        if index in prepared.hamstring:
            hamstring.append(index)
            remaining *= 1.0 - probabilities[index]
        elif other is None:
            other = index
    probability = 1.0 - remaining
    evidence = _combined_evidence(hamstring, probability, scoring, prepared)
    supporting = _first(evidence, SUPPORTING, 3)
    opposing = _first(evidence, OPPOSING, 3)
    said_for = listed(supporting, prepared) if supporting else texts["nothing"]
    said_against = listed(opposing, prepared) if opposing else texts["nothing"]
    verbs = {
        "supporting_verb": ("points", "point")[bool(supporting) and several(supporting, prepared)],
        "opposing_verb": ("points", "point")[bool(opposing) and several(opposing, prepared)],
    }
    # "Likely the hamstring" also needs the hamstring to be the best explanation. It is
    # not when a likely source elsewhere is more probable than the hamstring as a whole,
    # nor when neither hamstring source is likely on its own and a source elsewhere that
    # what was reported points to (at least possible) is more probable than each: the
    # union of two unclear hamstring sources then outweighs the best single explanation
    # only on paper, because a strain and a tendinopathy are rival accounts of the same
    # pain, not independent ones.
    rival = other if other is not None and bands[other] == "likely" else None
    best = max(probabilities[i] for i in hamstring)
    outranked = other is not None and (
        (rival is not None and probabilities[rival] > probability)
        or (
            all(bands[i] != "likely" for i in hamstring)
            and bands[other] != "unlikely"
            and probabilities[other] > best
            and sum(prepared.log_ratios[code] for code in scoring.codes[other]) > 0.0
        )
    )
    # the source named as fitting better when the verdict is not "likely"
    better = other if outranked else rival
    verdict: Verdict
    if probability >= policy.likely and not outranked and not supporting:
        # More likely than not from the starting estimate for this age and sport alone:
        # say so, and do not call it "likely" before anything reported points to it (as
        # self-care waits for a reported finding).
        verdict = "possibly_hamstring"
        top = max(hamstring, key=probabilities.__getitem__)
        if better is not None:
            # a likely source elsewhere, which better_fit names: the sentence names it too
            text = texts["possible_other_no_evidence_text"].format(
                other=prepared.sources[better].name_in_sentence
            )
        else:
            text = texts["likely_no_evidence_text"].format(
                source=prepared.sources[top].name_in_sentence
            )
        deciding = []
    elif probability >= policy.likely and not outranked:
        verdict = "likely_hamstring"
        top = max(hamstring, key=probabilities.__getitem__)
        leading = prepared.sources[top]
        if rival is not None:
            # Another source is likely too (if less so): a patient should hear about it.
            text = texts["likely_also_text"].format(
                source=leading.name_in_sentence,
                supporting=said_for,
                other=prepared.sources[rival].name_in_sentence,
                **verbs,
            )
        elif bands[top] != "likely":
            # More likely than not a hamstring source, but neither one on its own.
            text = texts["likely_combined_text"].format(supporting=said_for, **verbs)
        else:
            text = texts["likely_text"].format(
                source=leading.name_in_sentence, supporting=said_for, **verbs
            )
        deciding = supporting
    elif probability >= policy.possible:
        verdict = "possibly_hamstring"
        # `deciding` names exactly the findings the sentence names.
        if outranked and better is not None:
            named = prepared.sources[better].name_in_sentence
            if supporting:
                deciding, key = supporting, "possible_other_text"
            elif opposing:
                deciding, key = opposing, "possible_other_against_text"
            else:
                deciding, key = [], "possible_other_no_evidence_text"
            text = texts[key].format(
                supporting=said_for, opposing=said_against, other=named, **verbs
            )
        elif supporting:
            deciding = supporting + opposing
            text = texts["possible_text"].format(
                supporting=said_for, opposing=said_against, **verbs
            )
        elif opposing:
            # Nothing for it, something against it: still possible, but say it that way.
            deciding = opposing
            text = texts["possible_against_text"].format(opposing=said_against, **verbs)
        else:
            deciding = []
            text = texts["possible_no_evidence_text"]
    else:
        verdict = "unlikely_hamstring"
        deciding = opposing
        # the source better_fit names is the one the sentence names
        if better is not None:
            named = prepared.sources[better].name_in_sentence
            text = texts["unlikely_other_text"].format(opposing=said_against, other=named, **verbs)
        else:
            text = texts["unlikely_text"].format(opposing=said_against, **verbs)
    if flags:
        text = _flags_first(flags, text[0].lower() + text[1:], prepared)
    return HamstringCheck(
        probability=probability,
        verdict=verdict,
        explanation=text[0].upper() + text[1:],
        deciding_findings=tuple([prepared.evidence_findings[code] for code in deciding]),
        better_fit=(
            prepared.source_ids[better]
            if better is not None and verdict != "likely_hamstring"
            else None
        ),
    )


def onset_type(case: Case) -> OnsetType:
    """Sprint-type or stretch-type strain (Askling), or unknown when not (clearly) reported."""
    sprint = case.findings.get("onset_during_sprint") is True
    stretch = case.findings.get("onset_during_stretch") is True
    if sprint and not stretch:
        return "sprint"
    if stretch and not sprint:
        return "stretch"
    return "unknown"


def strain_details(
    case: Case, scoring: Scoring, flags: tuple[RaisedFlag, ...], prepared: Prepared
) -> StrainDetails | None:
    """Onset type and expected recovery range, only when a hamstring strain is likely.

    A raised flag that the range does not cover (a possible tendon avulsion) adds its
    caveat to the note.
    """
    strain = prepared.source_index.get("hamstring_strain")
    if strain is None or scoring.bands[strain] != "likely":
        return None
    onset = onset_type(case)
    policy = prepared.kb.policy
    recovery = policy.recovery[onset]
    caveats = [policy.recovery_caveats[f.id] for f in flags if f.id in policy.recovery_caveats]
    note = " ".join([recovery.note, *caveats])
    return StrainDetails(onset, recovery.low, recovery.high, recovery.refs, note)
