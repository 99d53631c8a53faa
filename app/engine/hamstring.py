"""Is it really the hamstring? The combined probability, its verdict, and strain details."""

from __future__ import annotations

import math

from app.engine.explain import join, lower_first, phrase, strongest, verb
from app.engine.prepared import Prepared
from app.engine.types import (
    Case,
    Evidence,
    HamstringCheck,
    OnsetType,
    SourceScore,
    StrainDetails,
    Verdict,
)
from app.knowledge.model import KnowledgeBase


def _combined_evidence(scores: list[SourceScore]) -> list[Evidence]:
    """Evidence of the hamstring sources, each finding once (its strongest effect)."""
    best: dict[str, Evidence] = {}
    for score in scores:
        for item in score.evidence:
            current = best.get(item.finding)
            if current is None or abs(item.likelihood_ratio - 1) > abs(
                current.likelihood_ratio - 1
            ):
                best[item.finding] = item
    # Strongest effect first, as `strongest` expects.
    return sorted(best.values(), key=lambda e: (-abs(math.log(e.likelihood_ratio)), e.finding))


def check_hamstring(scores: tuple[SourceScore, ...], prepared: Prepared) -> HamstringCheck:
    """Probability that a hamstring source explains the pain, with a one-sentence reason.

    The hamstring sources are independent yes/no questions, so the chance that at least
    one is present is 1 - product(1 - p).
    """
    kb = prepared.kb
    policy = kb.policy.hamstring_check
    texts = policy.texts
    hamstring = [s for s in scores if s.id in policy.sources]
    remaining = 1.0
    for score in hamstring:
        remaining *= 1.0 - score.probability
    probability = 1.0 - remaining
    evidence = _combined_evidence(hamstring)
    supporting = strongest(evidence, True, 3)
    opposing = strongest(evidence, False, 3)
    said_for = join([phrase(e, prepared) for e in supporting]) or texts["nothing"]
    said_against = join([phrase(e, prepared) for e in opposing]) or texts["nothing"]
    verbs = {
        "supporting_verb": verb(supporting or [None]),
        "opposing_verb": verb(opposing or [None]),
    }
    others = [s for s in scores if s.id not in policy.sources and s.band == "likely"]
    better_fit = others[0].id if others else None
    # "Likely the hamstring" also needs the hamstring to be the best explanation: when a
    # non-hamstring source is more probable still, the honest answer is "possibly".
    outranked = bool(others) and others[0].probability > probability
    verdict: Verdict
    if probability >= policy.likely and not outranked:
        verdict = "likely_hamstring"
        leading = max(hamstring, key=lambda s: s.probability)
        text = texts["likely_text"].format(
            source=lower_first(kb.sources[leading.id].name), supporting=said_for, **verbs
        )
        deciding = supporting
    elif probability >= policy.possible:
        verdict = "possibly_hamstring"
        deciding = supporting + opposing
        if outranked and better_fit is not None:
            other = lower_first(kb.sources[better_fit].name)
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
        if better_fit is not None:
            other = lower_first(kb.sources[better_fit].name)
            text = texts["unlikely_other_text"].format(opposing=said_against, other=other, **verbs)
        else:
            text = texts["unlikely_text"].format(opposing=said_against, **verbs)
    return HamstringCheck(
        probability=probability,
        verdict=verdict,
        explanation=text[0].upper() + text[1:],
        deciding_findings=tuple(e.finding for e in deciding),
        better_fit=better_fit if verdict != "likely_hamstring" else None,
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
    case: Case, scores: tuple[SourceScore, ...], kb: KnowledgeBase
) -> StrainDetails | None:
    """Onset type and expected recovery range, only when a hamstring strain is likely."""
    strain = next((s for s in scores if s.id == "hamstring_strain"), None)
    if strain is None or strain.band != "likely":
        return None
    onset = onset_type(case)
    recovery = kb.policy.recovery[onset]
    return StrainDetails(onset, recovery.low, recovery.high, recovery.refs, recovery.note)
