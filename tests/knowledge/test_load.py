"""The knowledge base loads, validates, and refuses to load when an entry is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.knowledge.load import DATA_DIR, load_knowledge_base
from app.knowledge.model import KnowledgeBase
from app.knowledge.validate import KnowledgeBaseError


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text not found: {old}"
    path.write_text(text.replace(old, new, 1))


def test_packaged_knowledge_base_is_valid(kb: KnowledgeBase) -> None:
    assert kb.policy.knowledge_base_version.count(".") == 2
    assert len(kb.sources) >= 7


def test_every_figure_is_cited(kb: KnowledgeBase) -> None:
    for source in kb.sources.values():
        assert source.prior.cited.refs
    for entries in kb.likelihood_ratios.values():
        for lr in entries.values():
            assert lr.cited.refs
            assert lr.cited.evidence_level in {"study", "expert_consensus"}


@pytest.mark.parametrize(
    ("file", "old", "new", "named"),
    [
        (
            "likelihood_ratios.toml",
            "sudden_onset = { pos = 2.5",
            "sudden_onset = { pos = -2.5",
            "[hamstring_strain] sudden_onset",
        ),
        (
            "likelihood_ratios.toml",
            "pain_at_sit_bone = { pos = 3.0, neg = 0.3",
            "pain_at_sit_bone = { pos = 3.0, neg = 1.3",
            "pain_at_sit_bone",
        ),
        (
            "likelihood_ratios.toml",
            'refs = ["askling_2007_sprint", "opar_2012"]',
            'refs = ["nobody_1999"]',
            "nobody_1999",
        ),
        ("sources.toml", "probability = 0.35", "probability = 1.35", "[hamstring_strain]"),
        (
            "red_flags.toml",
            '{ all = ["saddle_numbness"] }',
            '{ all = ["saddle_numbnes"] }',
            "saddle_numbnes",
        ),
        (
            "recommendations.toml",
            'for_sources = ["sciatic_nerve", "lumbar_spine"]',
            'for_sources = ["sciatic_nerves"]',
            "sciatic_nerves",
        ),
        ("clusters.toml", "threshold = 2", "threshold = 9", "[sij_provocation]"),
        ("findings.toml", 'category = "exam"', 'category = "exams"', "exams"),
        ("triage.toml", "released = 2026-11-26", 'released = "last week"', "released"),
        (
            "triage.toml",
            "follow_ups_per_positive = { patient = 1, clinician = 2 }",
            "follow_ups_per_positive = { patient = 1 }",
            "follow_ups_per_positive",
        ),
        (
            "triage.toml",
            'ask = ["onset_during_sprint"] }',
            'ask = ["onset_while_sprinting"] }',
            "onset_while_sprinting",
        ),
        (
            "triage.toml",
            "follow_ups_per_positive = { patient = 1, clinician = 2 }",
            "follow_ups_per_positive = { patient = 1, clinician = 2.5 }",
            "follow_ups_per_positive",
        ),
        ("triage.toml", 'id = "root_tension_slump"', 'id = "root_tension_slr"', "repeat"),
        (
            "red_flags.toml",
            'unless = ["sudden_onset"] },',
            'unless = ["sudden_onsets"] },',
            "sudden_onsets",
        ),
        (
            "red_flags.toml",
            'ask_after_core = [{ age_min = 50, ask = ["history_of_cancer"] }]',
            'ask_after_core = [{ age_min = 50, ask = ["history_of_cancers"] }]',
            "history_of_cancers",
        ),
        (
            "red_flags.toml",
            'ask_after_core = [{ activities = ["running", "triathlon"] }]',
            'ask_after_core = [{ activities = ["runing"] }]',
            "runing",
        ),
        (
            "triage.toml",
            'must_ask_screens = ["high_energy_trauma"',
            'must_ask_screens = ["pain_mid_thigh"',
            "must_ask_screens",
        ),
        (
            "triage.toml",
            "[reasons.clinician]\nclinician_source_likely",
            "[reasons.clinician]\nclinician_source_probable",
            "clinician_source_probable",
        ),
        (
            "triage.toml",
            "[coverage.clinician]\nreason_outside",
            "[coverage.clinician]\nreasons_outside",
            "reasons_outside",
        ),
        (
            "red_flags.toml",
            '"low_back_pain"], unless_longer_than_weeks = 6',
            '"low_back_pain"], unless_longer_than_weeks = -6',
            "unless_longer_than_weeks",
        ),
        ("recommendations.toml", "from_week = 2", "from_week = -2", "from_week"),
        (
            "recommendations.toml",
            "until_week = 0.7",
            "until_week = 0.7\nfrom_week = 1",
            "from_week < until_week",
        ),
        (
            "recommendations.toml",
            "sessions_per_week = 35, sessions_per_day = 5",
            "sessions_per_week = 30, sessions_per_day = 5",
            "7 x sessions_per_day",
        ),
        (
            "recommendations.toml",
            '{ name = "The Extender", sets = 3, reps = 12',
            '{ name = "The Extender", sets = 3, reps = 10',
            "first part",
        ),
        (
            "recommendations.toml",
            'needs_any = ["numbness_or_tingling"',
            'needs_any = ["numbness_or_tinglin"',
            "numbness_or_tinglin",
        ),
    ],
)
def test_invalid_entries_are_refused_by_name(
    data_copy: Path, file: str, old: str, new: str, named: str
) -> None:
    _edit(data_copy / file, old, new)
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(data_copy)
    assert named in str(error.value)


def test_unreadable_file_is_refused(data_copy: Path) -> None:
    (data_copy / "triage.toml").write_text("this is = = not toml")
    with pytest.raises(KnowledgeBaseError, match=r"triage\.toml"):
        load_knowledge_base(data_copy)


def test_a_screen_that_cannot_fire_alone_may_not_move_a_source(data_copy: Path) -> None:
    """Otherwise answering it yes could make a strain likely and lower the level."""
    _edit(
        data_copy / "likelihood_ratios.toml",
        "[hamstring_strain]\n",
        "[hamstring_strain]\npain_on_hopping = { pos = 1.4, neg = 0.8, level = "
        '"expert_consensus", refs = ["opar_2012"] }\n',
    )
    with pytest.raises(KnowledgeBaseError, match="pain_on_hopping"):
        load_knowledge_base(data_copy)
