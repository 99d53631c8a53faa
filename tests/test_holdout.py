"""The held-out vignettes: written blind to the knowledge base, checked as a regression.

holdout.toml (36 textbook-typical cases) first gave top-1 and top-3 of 1.0, red-flag
sensitivity 1.0 and no under-triage. holdout2.toml (32 realistic cases: partial answers,
mimics, mixed sources, written later, also blind) first gave top-1 0.929, top-3 1.0,
red-flag sensitivity 1.0, every level exact and every out-of-scope case found. The
assertions keep both there.

holdout3.toml (23 published case reports, encoded as sparsely as they were published,
blind too) is the hard one: its first run gave top-1 0.526, top-3 0.579, red-flag
sensitivity 0.875 with no false alarm, and under-triage 0.304 (sparse cases that left no
source likely got `self_care` where the report's diagnosis needed a clinician; since
self-care needs a likely simple cause, 0.130). The flag it missed, a 76-year-old's
mid-thigh tear with bruising, imaged to exclude an avulsion, is raised since bruising
after a sudden injury from 40 on counts as a possible avulsion (Kuske 2016): sensitivity
1.000, under-triage 0.087. Its test is a regression floor, not a claim that it is good
enough.

holdout4.toml (30 written vignettes with fuller histories, blind too) was written after
the interview and triage changes of 2026-11-26 to check them. First run: top-1 0.962,
top-3 1.000, red-flag sensitivity 1.000, one stretch-type strain over-triaged (29 of 30
levels exact), and the interview's top-3 after ten answers 0.077 below its ceiling. That
over-triage came from a change made the same day (a sudden onset and its mechanism
counted once), which was then withdrawn: the set is no longer blind for that rule.
Two of its cases (a DVT, a femoral stress fracture) are labelled out of scope, which the
coverage rules do not say (their red flags set the level), so coverage is not asserted.

holdout5.toml (12 published case reports, 10 patient-app cases, 8 clinic notes with
examination findings, blind too) was written on 2026-11-26 to check the interview on
cases it had never met. First run: top-1 0.821, top-3 0.964, red-flag sensitivity and
specificity 1.000, every level exact; but in the interview top-3 after ten answers was
0.714 against a ceiling of 0.964 (0.25 below) and one flag of six (a lump found on
examination) was not raised within 20 answers. Clinic notes record the examination
tests of the diagnosis the clinician suspected; the interview reaches them after the
core history and the safety checklist. The interview assertions are a floor at the
first run, not a claim that it is good enough.

holdout6.toml (12 published case reports, 10 patient-app cases, 8 clinic notes, blind
too) was written after the interview's age and sport screens moved behind the core
history, to check that change. First run: top-1 0.786, top-3 0.893, red-flag sensitivity
1.000 (specificity 0.992), level exact 0.900, under-triage 0.100; interview top-3 after
ten answers 0.750 against a ceiling of 0.893 (0.143 below), and three emergency flags
of six (a compartment syndrome after a tear with a pop, a sacral fracture after a fall,
a gluteal artery aneurysm with a cold leg) raised only after 20 answers. Changes made
after it (so it is no longer blind for them): a pop brings the tense-thigh screen
forward, the fracture and circulation screens must fit within 20 answers, and pain
below the knee with a likely spinal source is `soon`.

holdout7.toml (10 published case reports, 14 app cases with "don't know" answers, 6
clinic notes, blind too) was written after those changes. First run: top-1 0.786,
top-3 0.964, red-flag sensitivity 0.833 (an afebrile injecting drug user with septic
sacroiliitis), level exact 0.867; interview top-3 after ten answers 0.929 against
0.964, one flag of six late. Changed after it (no longer blind for these): injected
drugs or a weakened immune system with back or deep buttock pain raises the infection
flag; at 18 or younger a sudden injury needs an X-ray unless the pain is mid-thigh.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Prepared
from tests.vignettes import (
    HOLDOUT2_FILE,
    HOLDOUT3_FILE,
    HOLDOUT4_FILE,
    HOLDOUT5_FILE,
    HOLDOUT6_FILE,
    HOLDOUT7_FILE,
    HOLDOUT_FILE,
    evaluate,
    load_vignettes,
    summarize,
)
from tests.vignettes.interview import benchmark


def _summary(prepared: Prepared, path: Path, at_least: int) -> dict[str, float]:
    vignettes = load_vignettes(path)
    assert len(vignettes) >= at_least
    return summarize(evaluate(vignettes, prepared), list(prepared.kb.red_flags))


@pytest.mark.parametrize("path", [HOLDOUT_FILE, HOLDOUT2_FILE], ids=lambda p: p.stem)
def test_holdout_accuracy_and_safety(prepared: Prepared, path: Path) -> None:
    summary = _summary(prepared, path, at_least=30)
    assert summary["red_flag_sensitivity"] == 1.0, summary
    assert summary["top3"] >= 0.9, summary
    assert summary["top1"] >= 0.8, summary
    assert summary["under_triage"] == 0.0, summary
    assert summary["out_of_scope_detected"] == 1.0, summary
    assert summary["coverage_correct"] >= 0.95, summary


def test_published_holdout_does_not_regress(prepared: Prepared) -> None:
    summary = _summary(prepared, HOLDOUT3_FILE, at_least=20)
    assert summary["red_flag_sensitivity"] == 1.0, summary
    assert summary["red_flag_specificity"] == 1.0, summary
    assert summary["top1"] >= 0.52, summary
    assert summary["top3"] >= 0.57, summary
    assert summary["under_triage"] <= 0.09, summary
    assert summary["over_triage"] == 0.0, summary


def test_published_holdout_interview_stays_near_its_ceiling(prepared: Prepared) -> None:
    # First run: top-3 0.474 after ten answers against a ceiling of 0.579, and every flag
    # the full case raises raised within 20 answers (all eight since the avulsion rule
    # for bruising from 40).
    # Since the screens that age or sport raise wait for the core history: 0.526 (0.053
    # below). Since extraspinal sciatica's signs weigh against the spine the ceiling is
    # 0.632: a recurrent lymphoma reported only by a history of cancer and progressive
    # weakness is ranked right with every finding, and ten answers of an interview that
    # must first take the history never reach either (0.105 below).
    result = benchmark(prepared, HOLDOUT3_FILE)
    assert result["top3_after_10"] >= result["top3_ceiling"] - 0.11, result
    assert result["red_flags_within_20"] == 1.0, result


# Per written blind set: floors on the scoring summary, the largest share under-triaged,
# then the interview's largest allowed gap below its top-3 ceiling after ten answers and
# its share of red flags within 20 answers.
WRITTEN_SETS = [
    pytest.param(
        HOLDOUT4_FILE,
        {"red_flag_sensitivity": 1.0, "top1": 0.9, "top3": 0.95, "level_exact": 0.95},
        0.0,
        # the interview target holds here: within 0.10
        0.10,
        1.0,
        id="holdout4",
    ),
    pytest.param(
        HOLDOUT5_FILE,
        {
            "red_flag_sensitivity": 1.0,
            "red_flag_specificity": 1.0,
            "top1": 0.82,
            "top3": 0.96,
            "level_exact": 0.96,
        },
        0.0,
        # first run 0.25 below, one flag of six late; since the screens that age or sport
        # raise wait for the core history and a lump is asked after deep buttock pain on
        # sitting, 0.071 below and every flag within 20
        0.10,
        1.0,
        id="holdout5",
    ),
    pytest.param(
        HOLDOUT6_FILE,
        {
            "red_flag_sensitivity": 1.0,
            "top1": 0.78,
            "top3": 0.89,
            "level_exact": 0.93,
        },
        # first run 0.100: a recurrent strain and an obturator internus bursitis with
        # groin pain, both called self-care where the writer asked for a clinician (the
        # other blind sets call a recurrent strain self-care); a nerve-sheath tumour with
        # sciatica, since pain below the knee with a likely spinal source is `soon`
        0.067,
        # first run: 0.143 below the ceiling (two clinic notes with examination tests
        # only, a nerve-sheath tumour and a gluteal artery aneurysm); three emergency
        # flags of six late, all within 20 since a pop brings the tense-thigh screen
        # forward and the fracture and circulation screens must fit within 20 answers
        0.15,
        1.0,
        id="holdout6",
    ),
    pytest.param(
        HOLDOUT7_FILE,
        {
            "red_flag_sensitivity": 1.0,
            "top1": 0.78,
            "top3": 0.96,
            "level_exact": 0.93,
        },
        # first run 0.067; one left: a 38-year-old sprinter's strain with a back that
        # hurts and a positive slump test, called self-care where the writer asked for a
        # clinician for the back
        0.034,
        # first run: 0.036 below the ceiling; one flag of six late (an afebrile injecting
        # drug user with septic sacroiliitis, whose drug use comes 30th: each way to ask it
        # sooner, measured, pushed another set's flag past 20)
        0.10,
        0.83,
        id="holdout7",
    ),
]


@pytest.mark.parametrize(
    ("path", "floors", "under_triage", "interview_gap", "flags_within_20"), WRITTEN_SETS
)
def test_written_blind_sets_are_scored_and_interviewed_well(
    prepared: Prepared,
    path: Path,
    floors: dict[str, float],
    under_triage: float,
    interview_gap: float,
    flags_within_20: float,
) -> None:
    summary = _summary(prepared, path, at_least=30)
    assert summary["under_triage"] <= under_triage + 1e-9, summary
    for figure, floor in floors.items():
        assert summary[figure] >= floor, (figure, summary)
    result = benchmark(prepared, path)
    assert result["top3_after_10"] >= result["top3_ceiling"] - interview_gap, result
    assert result["red_flags_within_20"] >= flags_within_20, result
