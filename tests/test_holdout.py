"""The held-out vignettes: written blind to the knowledge base, checked as a regression.

holdout.toml (36 textbook-typical cases) first gave top-1 and top-3 of 1.0, red-flag
sensitivity 1.0 and no under-triage. holdout2.toml (32 realistic cases: partial answers,
mimics, mixed sources, written later, also blind) first gave top-1 0.929, top-3 1.0,
red-flag sensitivity 1.0, every level exact and every out-of-scope case found. The
assertions keep both there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Prepared
from tests.vignettes import HOLDOUT2_FILE, HOLDOUT_FILE, evaluate, load_vignettes, summarize


@pytest.mark.parametrize("path", [HOLDOUT_FILE, HOLDOUT2_FILE], ids=lambda p: p.stem)
def test_holdout_accuracy_and_safety(prepared: Prepared, path: Path) -> None:
    vignettes = load_vignettes(path)
    assert len(vignettes) >= 30
    summary = summarize(evaluate(vignettes, prepared), list(prepared.kb.red_flags))
    assert summary["red_flag_sensitivity"] == 1.0, summary
    assert summary["top3"] >= 0.9, summary
    assert summary["top1"] >= 0.8, summary
    assert summary["under_triage"] == 0.0, summary
    assert summary["out_of_scope_detected"] == 1.0, summary
    assert summary["coverage_correct"] >= 0.95, summary
