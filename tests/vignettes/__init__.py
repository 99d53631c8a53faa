"""The clinical vignette suite: published cases with expected sources, flags and levels.

`python -m tests.vignettes` prints the accuracy table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.engine import Assessment, Case, Prepared, assess
from app.knowledge.model import TRIAGE_LEVELS, severity

CASES_FILE = Path(__file__).parent / "cases.toml"


@dataclass(frozen=True)
class Vignette:
    """One published case and what a sound assessment must say about it."""

    id: str
    citation: str
    case: Case
    expected_sources: tuple[str, ...]
    expected_red_flags: frozenset[str]
    expected_level: str


def load_vignettes(path: Path = CASES_FILE) -> list[Vignette]:
    """Read the suite from TOML."""
    raw: dict[str, Any] = tomllib.loads(path.read_text())
    return [
        Vignette(
            id=c["id"],
            citation=c["citation"],
            case=Case(
                findings=MappingProxyType(dict(c.get("findings", {}))),
                age=c.get("age"),
                sex=c.get("sex"),
                activities=frozenset(c.get("activities", ())),
                duration_weeks=c.get("duration_weeks"),
                respondent=c.get("respondent", "patient"),
            ),
            expected_sources=tuple(c["expected_sources"]),
            expected_red_flags=frozenset(c["expected_red_flags"]),
            expected_level=c["expected_level"],
        )
        for c in raw["case"]
    ]


@dataclass(frozen=True)
class Outcome:
    """How one assessment compares with its vignette."""

    vignette: Vignette
    assessment: Assessment

    @property
    def ranking(self) -> list[str]:
        return [s.id for s in self.assessment.sources]

    @property
    def scored(self) -> bool:
        return bool(self.vignette.expected_sources)

    @property
    def top1(self) -> bool:
        return self.ranking[0] in self.vignette.expected_sources

    @property
    def top3(self) -> bool:
        return all(s in self.ranking[:3] for s in self.vignette.expected_sources)

    @property
    def raised(self) -> frozenset[str]:
        return frozenset(f.id for f in self.assessment.red_flags)

    @property
    def level_delta(self) -> int:
        """Positive when over-triaged, negative when under-triaged."""
        level = self.assessment.triage.level
        return severity(level) - severity(self.vignette.expected_level)  # type: ignore[arg-type]


def evaluate(vignettes: list[Vignette], prepared: Prepared) -> list[Outcome]:
    """Assess every vignette."""
    return [Outcome(v, assess(v.case, prepared)) for v in vignettes]


def summarize(outcomes: list[Outcome], flag_ids: list[str]) -> dict[str, float]:
    """Top-1/top-3 accuracy, red-flag sensitivity/specificity, under- and over-triage."""
    scored = [o for o in outcomes if o.scored]
    expected = sum(len(o.vignette.expected_red_flags) for o in outcomes)
    caught = sum(len(o.vignette.expected_red_flags & o.raised) for o in outcomes)
    negatives = sum(len(set(flag_ids) - o.vignette.expected_red_flags) for o in outcomes)
    false_alarms = sum(len(o.raised - o.vignette.expected_red_flags) for o in outcomes)
    return {
        "cases": len(outcomes),
        "top1": sum(o.top1 for o in scored) / len(scored),
        "top3": sum(o.top3 for o in scored) / len(scored),
        "red_flag_sensitivity": caught / expected if expected else 1.0,
        "red_flag_specificity": 1 - false_alarms / negatives if negatives else 1.0,
        "level_exact": sum(o.level_delta == 0 for o in outcomes) / len(outcomes),
        "under_triage": sum(o.level_delta < 0 for o in outcomes) / len(outcomes),
        "over_triage": sum(o.level_delta > 0 for o in outcomes) / len(outcomes),
    }


__all__ = ["TRIAGE_LEVELS", "Outcome", "Vignette", "evaluate", "load_vignettes", "summarize"]
