"""How evidence is put in words: rationale templates, finding phrases, and which way
(if clearly any) an evidence item moves its source. Built once per knowledge base by
prepare(); explain.py and hamstring.py fill them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.engine.types import Evidence
from app.knowledge.model import BANDS, Band, KnowledgeBase

# Which way an evidence item moves its source.
SUPPORTING, OPPOSING, NEUTRAL = 0, 1, 2


def direction(likelihood_ratio: float, threshold: float) -> int:
    """Which way a finding moves a source, for explanations: too weak a move is NEUTRAL."""
    if likelihood_ratio >= threshold:
        return SUPPORTING
    if likelihood_ratio <= 1.0 / threshold:
        return OPPOSING
    return NEUTRAL


@dataclass(frozen=True, slots=True)
class Wording:
    """Explanation templates split around the finding list, so filling one is a join.

    `heads`, `no_evidence` and `contrary` are indexed by source, then by band;
    `supporting` and `opposing` by whether one finding or several are named. `contrary`
    is split around the clause that runs against the band.
    """

    heads: tuple[Mapping[Band, str], ...]
    no_evidence: tuple[Mapping[Band, str], ...]
    contrary: tuple[Mapping[Band, tuple[str, ...]], ...]
    supporting: tuple[tuple[str, ...], tuple[str, ...]]
    opposing: tuple[tuple[str, ...], tuple[str, ...]]
    max_supporting: int
    max_opposing: int


def _split(template: str, at: str = "findings", **fields: str) -> tuple[str, ...]:
    """`template` filled with `fields`, cut where `{at}` goes."""
    marker = "\x00"
    return tuple(template.format(**{at: marker}, **fields).split(marker))


def build_wording(kb: KnowledgeBase) -> Wording:
    """The rationale templates of triage.toml, filled with every source's name."""
    policy = kb.policy.rationale
    templates = policy.templates
    heads = tuple(
        MappingProxyType({band: templates[band].format(name=source.name) for band in BANDS})
        for source in kb.sources.values()
    )
    return Wording(
        heads=heads,
        no_evidence=tuple(
            MappingProxyType(
                {band: templates["no_evidence"].format(head=head) for band, head in by_band.items()}
            )
            for by_band in heads
        ),
        contrary=tuple(
            MappingProxyType(
                {
                    band: _split(templates["contrary"], at="clause", head=head)
                    for band, head in by_band.items()
                }
            )
            for by_band in heads
        ),
        supporting=(
            _split(templates["supporting"], verb="points"),
            _split(templates["supporting"], verb="point"),
        ),
        opposing=(
            _split(templates["opposing"], verb="points"),
            _split(templates["opposing"], verb="point"),
        ),
        max_supporting=policy.max_supporting,
        max_opposing=policy.max_opposing,
    )


def phrase(kb: KnowledgeBase, evidence: Evidence) -> str:
    """A finding as explanations say it: its label, glossed if it is an exam test."""
    finding = kb.findings[evidence.finding]
    label = f"{finding.label} ({finding.gloss})" if finding.gloss else finding.label
    if evidence.present:
        return label
    if finding.absent_label:
        return finding.absent_label
    return kb.policy.rationale.templates["absent"].format(label=label)
