"""Plain-language explanations built from knowledge-base templates and the evidence.

No free text lives here: every sentence is a template from triage.toml filled with
finding labels (and, for examination tests, their gloss) from findings.toml. The
templates are filled once in prepare(); here only finding lists are joined in.
"""

from __future__ import annotations

from app.engine.bayes import Scoring
from app.engine.prepared import Prepared
from app.engine.wording import OPPOSING, SUPPORTING


def join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def rationale(index: int, scoring: Scoring, prepared: Prepared) -> str:
    """One or two sentences on why source `index` has the probability it has."""
    wording = prepared.wording
    phrases = prepared.phrases
    directions = prepared.directions
    band = scoring.bands[index]
    # The strongest findings each way: evidence codes come strongest first.
    most_supporting, most_opposing = wording.max_supporting, wording.max_opposing
    supporting: list[str] = []
    opposing: list[str] = []
    # A list of several findings, or one plural noun, takes "point": the first item's
    # number decides when it stands alone.
    plural = prepared.plural
    supporting_plural = opposing_plural = False
    for code in scoring.codes[index]:
        direction = directions[code]
        if direction == SUPPORTING:
            if not supporting:
                supporting_plural = plural[code]
            if len(supporting) < most_supporting:
                supporting.append(phrases[code])
            elif len(opposing) >= most_opposing:
                break
        elif direction == OPPOSING:
            if not opposing:
                opposing_plural = plural[code]
            if len(opposing) < most_opposing:
                opposing.append(phrases[code])
            elif len(supporting) >= most_supporting:
                break
    if not supporting and not opposing:
        return wording.no_evidence[index][band]
    clauses = []
    # The templates come split around the finding list (see prepared.py).
    if supporting:
        several = len(supporting) > 1 or supporting_plural
        clauses.append(join(supporting).join(wording.supporting[several]))
    if opposing:
        several = len(opposing) > 1 or opposing_plural
        clauses.append(join(opposing).join(wording.opposing[several]))
    if band == "unlikely":
        # Lead with what argues against a source that is unlikely.
        clauses.reverse()
    first = f"{wording.heads[index][band]}: {clauses[0]}."
    return first if len(clauses) == 1 else f"{first} {clauses[1][0].upper()}{clauses[1][1:]}."


def rationales(scoring: Scoring, prepared: Prepared) -> dict[str, str]:
    """A rationale for every source, most probable first."""
    return {
        score.id: rationale(index, scoring, prepared)
        for index, score in zip(scoring.order, scoring.scores, strict=True)
    }
