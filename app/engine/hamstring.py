"""Is it really the hamstring? The combined probability, its verdict, and strain details."""

from __future__ import annotations

import math

from app.engine.bayes import Scoring
from app.engine.explain import join
from app.engine.prepared import Prepared
from app.engine.types import Case, HamstringCheck, OnsetType, StrainDetails, Verdict
from app.engine.wording import NEUTRAL, OPPOSING, SUPPORTING, verb_index


def _odds(probability: float) -> float:
    # Clamped: the combined probability can round to exactly 0 or 1.
    clamped = min(max(probability, 1e-12), 1.0 - 1e-12)
    return clamped / (1.0 - clamped)


def _combined_evidence(
    hamstring: list[int], scoring: Scoring, prepared: Prepared
) -> list[tuple[int, int]]:
    """(code, direction) for each finding reported for a hamstring source, by what it does
    to the combined probability, strongest first.

    A finding can move the two hamstring sources opposite ways (deep buttock pain makes a
    strain less likely and a tendinopathy more): what counts for "is it the hamstring?"
    is its net effect, the odds of the combined probability with the finding against
    without it (each source's odds divided by the finding's ratio for it).
    """
    if not hamstring:
        return []
    findings = prepared.evidence_findings
    evidence = prepared.evidence
    probabilities = scoring.probabilities
    # finding -> (a code reporting it, its ratio per hamstring source)
    reported: dict[str, tuple[int, list[float]]] = {}
    for position, index in enumerate(hamstring):
        for code in scoring.codes[index]:
            entry = reported.setdefault(findings[code], (code, [1.0] * len(hamstring)))
            entry[1][position] = evidence[code].likelihood_ratio
    remaining = 1.0
    for index in hamstring:
        remaining *= 1.0 - probabilities[index]
    combined = _odds(1.0 - remaining)
    threshold = math.log(prepared.kb.policy.rationale.min_likelihood_ratio)
    ranked: list[tuple[float, int, int, int]] = []
    for code, ratios in reported.values():
        without = 1.0
        for index, ratio in zip(hamstring, ratios, strict=True):
            odds = _odds(probabilities[index]) / ratio
            without *= 1.0 / (1.0 + odds)
        effect = math.log(combined / _odds(1.0 - without))
        way = SUPPORTING if effect >= threshold else OPPOSING if effect <= -threshold else NEUTRAL
        ranked.append((-abs(effect), prepared.evidence_ranks[code], code, way))
    ranked.sort()
    return [(code, way) for _, _, code, way in ranked]


def _first(evidence: list[tuple[int, int]], direction: int, limit: int) -> list[int]:
    """The first `limit` codes of `evidence` moving the hamstring in `direction`."""
    chosen = []
    for code, way in evidence:
        if way == direction:
            chosen.append(code)
            if len(chosen) == limit:
                break
    return chosen


def check_hamstring(scoring: Scoring, prepared: Prepared) -> HamstringCheck:
    """Probability that a hamstring source explains the pain, with a one-sentence reason.

    The hamstring sources are independent yes/no questions, so the chance that at least
    one is present is 1 - product(1 - p).
    """
    policy = prepared.kb.policy.hamstring_check
    texts = policy.texts
    probabilities = scoring.probabilities
    bands = scoring.bands
    hamstring: list[int] = []
    # the most probable likely source that is not a hamstring source
    rival: int | None = None
    remaining = 1.0
    for index in scoring.order:
        if index in prepared.hamstring:
            hamstring.append(index)
            remaining *= 1.0 - probabilities[index]
        elif rival is None and bands[index] == "likely":
            rival = index
    probability = 1.0 - remaining
    evidence = _combined_evidence(hamstring, scoring, prepared)
    supporting = _first(evidence, SUPPORTING, 3)
    opposing = _first(evidence, OPPOSING, 3)
    phrases = prepared.phrases
    said_for = join([phrases[code] for code in supporting]) or texts["nothing"]
    said_against = join([phrases[code] for code in opposing]) or texts["nothing"]
    plural = prepared.plural
    verbs = {
        "supporting_verb": ("points", "point")[verb_index(supporting, plural)],
        "opposing_verb": ("points", "point")[verb_index(opposing, plural)],
    }
    # "Likely the hamstring" also needs the hamstring to be the best explanation: when a
    # non-hamstring source is more probable still, the honest answer is "possibly".
    outranked = rival is not None and probabilities[rival] > probability
    verdict: Verdict
    if probability >= policy.likely and not outranked:
        verdict = "likely_hamstring"
        leading = prepared.sources[max(hamstring, key=probabilities.__getitem__)]
        if not supporting:
            # Likely from the starting estimate for this age and sport alone: say so.
            text = texts["likely_no_evidence_text"].format(source=leading.name_in_sentence)
        elif rival is not None:
            # Another source is likely too (if less so): a patient should hear about it.
            text = texts["likely_also_text"].format(
                source=leading.name_in_sentence,
                supporting=said_for,
                other=prepared.sources[rival].name_in_sentence,
                **verbs,
            )
        else:
            text = texts["likely_text"].format(
                source=leading.name_in_sentence, supporting=said_for, **verbs
            )
        deciding = supporting
    elif probability >= policy.possible:
        verdict = "possibly_hamstring"
        deciding = supporting + opposing
        if outranked and rival is not None:
            other = prepared.sources[rival].name_in_sentence
            text = texts["possible_other_text"].format(supporting=said_for, other=other, **verbs)
        elif deciding:
            text = texts["possible_text"].format(
                supporting=said_for, opposing=said_against, **verbs
            )
        else:
            text = texts["possible_no_evidence_text"]
    else:
        verdict = "unlikely_hamstring"
        deciding = opposing
        if rival is not None:
            other = prepared.sources[rival].name_in_sentence
            text = texts["unlikely_other_text"].format(opposing=said_against, other=other, **verbs)
        else:
            text = texts["unlikely_text"].format(opposing=said_against, **verbs)
    return HamstringCheck(
        probability=probability,
        verdict=verdict,
        explanation=text[0].upper() + text[1:],
        deciding_findings=tuple([prepared.evidence_findings[code] for code in deciding]),
        better_fit=(
            prepared.source_ids[rival]
            if rival is not None and verdict != "likely_hamstring"
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


def strain_details(case: Case, scoring: Scoring, prepared: Prepared) -> StrainDetails | None:
    """Onset type and expected recovery range, only when a hamstring strain is likely."""
    strain = prepared.source_index.get("hamstring_strain")
    if strain is None or scoring.bands[strain] != "likely":
        return None
    onset = onset_type(case)
    recovery = prepared.kb.policy.recovery[onset]
    return StrainDetails(onset, recovery.low, recovery.high, recovery.refs, recovery.note)
