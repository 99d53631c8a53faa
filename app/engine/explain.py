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


def listed(codes: list[int], prepared: Prepared) -> str:
    """The findings of `codes` as one list, those present before those absent, so that
    "the absence of" reads as applying to its own item only."""
    phrases, absent = prepared.phrases, prepared.absent
    words = [phrases[code] for code in codes if not absent[code]]
    if len(words) < len(codes):
        words += [phrases[code] for code in codes if absent[code]]
    return join(words)


def several(codes: list[int], prepared: Prepared) -> int:
    """1 when the list takes "point" (several findings, or one plural noun), else 0."""
    return int(len(codes) > 1 or prepared.plural[codes[0]])


def rationale(index: int, scoring: Scoring, prepared: Prepared) -> str:
    """One or two sentences on why source `index` has the probability it has."""
    wording = prepared.wording
    directions = prepared.directions
    band = scoring.bands[index]
    # The strongest findings each way: evidence codes come strongest first.
    most_supporting, most_opposing = wording.max_supporting, wording.max_opposing
    phrases = prepared.phrases
    absent = prepared.absent
    # Phrases each way, present findings before absent ones (listed(), inlined: this runs
    # for every source on every call), and how many each way.
    supporting: list[str] = []
    supporting_absent: list[str] = []
    opposing: list[str] = []
    opposing_absent: list[str] = []
    n_supporting = n_opposing = 0
    # the single finding's number, should it stand alone
    supporting_plural = opposing_plural = False
    for code in scoring.codes[index]:
        direction = directions[code]
        if direction == SUPPORTING:
            if n_supporting < most_supporting:
                (supporting_absent if absent[code] else supporting).append(phrases[code])
                supporting_plural = prepared.plural[code]
                n_supporting += 1
            elif n_opposing >= most_opposing:
                break
        elif direction == OPPOSING:
            if n_opposing < most_opposing:
                (opposing_absent if absent[code] else opposing).append(phrases[code])
                opposing_plural = prepared.plural[code]
                n_opposing += 1
            elif n_supporting >= most_supporting:
                break
    if not n_supporting and not n_opposing:
        return wording.no_evidence[index][band]
    clauses = []
    # The templates come split around the finding list (see prepared.py); several
    # findings, or one plural noun, take "point".
    if n_supporting:
        verb = n_supporting > 1 or supporting_plural
        clauses.append(join(supporting + supporting_absent).join(wording.supporting[verb]))
    if n_opposing:
        verb = n_opposing > 1 or opposing_plural
        clauses.append(join(opposing + opposing_absent).join(wording.opposing[verb]))
    if band == "unlikely":
        # Lead with what argues against a source that is unlikely.
        clauses.reverse()
    if len(clauses) == 1 and (band == "unlikely") == bool(n_supporting):
        # The only evidence named runs against the band: "possible, though ...".
        return clauses[0].join(wording.contrary[index][band])
    first = f"{wording.heads[index][band]}: {clauses[0]}."
    return first if len(clauses) == 1 else f"{first} {clauses[1][0].upper()}{clauses[1][1:]}."


def rationales(scoring: Scoring, prepared: Prepared) -> dict[str, str]:
    """A rationale for every source, most probable first."""
    return {
        score.id: rationale(index, scoring, prepared)
        for index, score in zip(scoring.order, scoring.scores, strict=True)
    }
