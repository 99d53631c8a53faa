"""'Did you mean': one answer for a clear typo, a short list only for a real tie."""

from __future__ import annotations

from app.api.suggest import did_you_mean

VOCABULARY = ["sudden_onset", "saddle_numbness", "pain_with_sitting", "pain_at_sit_bone"]


def test_a_clear_typo_gets_one_suggestion() -> None:
    assert did_you_mean("sudden_onsett", VOCABULARY) == " Did you mean 'sudden_onset'?"
    assert did_you_mean("pain_with_siting", VOCABULARY) == " Did you mean 'pain_with_sitting'?"


def test_nothing_close_gets_no_suggestion() -> None:
    assert did_you_mean("xyz", VOCABULARY) == ""


def test_near_ties_are_all_offered() -> None:
    assert did_you_mean("pain_sit", VOCABULARY).count("'") == 4
