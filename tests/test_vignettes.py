"""The vignette suite meets its accuracy and safety targets."""

from __future__ import annotations

from app.engine import Prepared
from tests.vignettes import evaluate, load_vignettes, summarize


def test_suite_is_large_and_covers_every_source_and_red_flag(prepared: Prepared) -> None:
    vignettes = load_vignettes()
    assert len(vignettes) >= 30
    primaries = {v.expected_sources[0] for v in vignettes if v.expected_sources}
    assert primaries == set(prepared.kb.sources)
    flags = {f for v in vignettes for f in v.expected_red_flags}
    assert flags == set(prepared.kb.red_flags)


def test_top3_accuracy_and_red_flag_sensitivity(prepared: Prepared) -> None:
    summary = summarize(evaluate(load_vignettes(), prepared), list(prepared.kb.red_flags))
    assert summary["red_flag_sensitivity"] == 1.0
    assert summary["top3_informative"] >= 0.9, summary
    # Sparse published cases (one or two findings) still may not slip much.
    assert summary["top3"] >= 0.85, summary
    assert summary["under_triage"] <= 0.05, summary
