"""The held-out vignettes: written blind to the knowledge base, checked as a regression.

Their first run (before any change prompted by them) gave top-1 and top-3 of 1.0,
red-flag sensitivity 1.0 and no under-triage; the assertions keep it there.
"""

from __future__ import annotations

from app.engine import Prepared
from tests.vignettes import HOLDOUT_FILE, evaluate, load_vignettes, summarize


def test_holdout_accuracy_and_safety(prepared: Prepared) -> None:
    vignettes = load_vignettes(HOLDOUT_FILE)
    assert len(vignettes) >= 30
    summary = summarize(evaluate(vignettes, prepared), list(prepared.kb.red_flags))
    assert summary["red_flag_sensitivity"] == 1.0, summary
    assert summary["top3"] >= 0.9, summary
    assert summary["top1"] >= 0.8, summary
    assert summary["under_triage"] == 0.0, summary
