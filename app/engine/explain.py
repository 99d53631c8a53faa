"""Plain-language explanations built from knowledge-base templates and the evidence.

No free text lives here: every sentence is a template from triage.toml filled with
finding labels (and, for examination tests, their gloss) from findings.toml.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.engine.prepared import Prepared
from app.engine.types import Evidence, SourceScore


def strongest(evidence: Iterable[Evidence], supporting: bool, limit: int) -> list[Evidence]:
    """The first `limit` findings moving a source one way, from evidence sorted strongest first."""
    chosen = []
    for item in evidence:
        if item.likelihood_ratio != 1.0 and (item.likelihood_ratio > 1.0) == supporting:
            chosen.append(item)
            if len(chosen) == limit:
                break
    return chosen


def phrase(evidence: Evidence, prepared: Prepared) -> str:
    """One finding in plain words: its label, glossed if it is an examination test."""
    return prepared.phrases[(evidence.finding, evidence.present)]


def verb(parts: Sequence[object]) -> str:
    """'points' for one finding, 'point' for several."""
    return "points" if len(parts) == 1 else "point"


def lower_first(text: str) -> str:
    """A name as it reads mid-sentence."""
    return text[:1].lower() + text[1:]


def join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def rationale(score: SourceScore, prepared: Prepared) -> str:
    """One or two sentences on why a source has the probability it has."""
    kb = prepared.kb
    policy = kb.policy.rationale
    templates = policy.templates
    head = templates[score.band].format(name=kb.sources[score.id].name)
    supporting = strongest(score.evidence, True, policy.max_supporting)
    opposing = strongest(score.evidence, False, policy.max_opposing)
    if not supporting and not opposing:
        return templates["no_evidence"].format(head=head)
    clauses = []
    if supporting:
        said = [phrase(e, prepared) for e in supporting]
        clauses.append(templates["supporting"].format(findings=join(said), verb=verb(said)))
    if opposing:
        said = [phrase(e, prepared) for e in opposing]
        clauses.append(templates["opposing"].format(findings=join(said), verb=verb(said)))
    if score.band == "unlikely":
        # Lead with what argues against a source that is unlikely.
        clauses.reverse()
    first = f"{head}: {clauses[0]}."
    return first if len(clauses) == 1 else f"{first} {clauses[1][0].upper()}{clauses[1][1:]}."


def rationales(scores: tuple[SourceScore, ...], prepared: Prepared) -> dict[str, str]:
    """A rationale for every source."""
    return {score.id: rationale(score, prepared) for score in scores}
