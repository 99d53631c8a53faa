"""Request bodies used by the benchmarks."""

from __future__ import annotations

import random
from typing import Any

from app.knowledge.load import default_knowledge_base


def thirty_findings(seed: int = 7) -> dict[str, Any]:
    """A realistic 30-finding payload: 25 history/exam answers and 5 negative screens."""
    kb = default_knowledge_base()
    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    informative = [f for f, x in kb.findings.items() if x.category != "red_flag_screen"]
    screens = [f for f, x in kb.findings.items() if x.category == "red_flag_screen"]
    findings: dict[str, bool | None] = {f: rng.random() < 0.35 for f in rng.sample(informative, 25)}
    findings.update(dict.fromkeys(screens[:5], False))
    return {
        "age": 35,
        "sex": "female",
        "activities": ["running"],
        "duration_weeks": 6,
        "findings": findings,
    }
