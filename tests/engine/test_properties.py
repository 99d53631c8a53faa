"""Properties that must hold for every possible case."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import Case, Prepared, assess, prepare
from app.engine.interview import contenders, differential_gain
from app.knowledge.model import severity
from tests.engine.strategies import FINDING_IDS, KB, SCREENS, cases, with_answer

PREPARED: Prepared = prepare(KB)


def _probabilities(case: Case) -> dict[str, float]:
    return {s.id: s.probability for s in assess(case, PREPARED).sources}


@given(cases())
def test_probabilities_are_bounded_and_every_source_is_scored(case: Case) -> None:
    result = assess(case, PREPARED)
    assert {s.id for s in result.sources} == set(KB.sources)
    for score in result.sources:
        assert 0.0 <= score.probability <= 1.0
        assert math.isfinite(score.probability)
    ranked = [s.probability for s in result.sources]
    assert ranked == sorted(ranked, reverse=True)


@given(cases())
def test_same_input_same_output(case: Case) -> None:
    assert assess(case, PREPARED) == assess(case, PREPARED)


@given(cases())
def test_posterior_odds_are_prior_odds_times_the_reported_factors(case: Case) -> None:
    for score in assess(case, PREPARED).sources:
        if not 1e-9 < score.probability < 1 - 1e-9:
            continue
        log_odds = math.log(score.prior / (1 - score.prior))
        log_odds += sum(math.log(a.likelihood_ratio) for a in score.adjustments)
        log_odds += sum(math.log(e.likelihood_ratio) for e in score.evidence)
        assert math.log(score.probability / (1 - score.probability)) == pytest.approx(
            log_odds, abs=1e-6
        )


@given(cases(), st.sampled_from(FINDING_IDS))
def test_an_unknown_finding_changes_no_score(case: Case, finding: str) -> None:
    if finding in case.findings:
        return
    assert _probabilities(with_answer(case, finding, None)) == _probabilities(case)


@given(cases(), st.sampled_from(FINDING_IDS))
@settings(max_examples=300)
def test_a_present_finding_with_lr_above_one_never_lowers_its_source(
    case: Case, finding: str
) -> None:
    if finding in case.findings:
        return
    before = _probabilities(case)
    after = _probabilities(with_answer(case, finding, True))
    for source_id, entries in KB.likelihood_ratios.items():
        lr = entries.get(finding)
        if lr is not None and lr.positive > 1:
            assert after[source_id] >= before[source_id] - 1e-12
    for cluster in KB.clusters.values():
        if finding in cluster.members and cluster.kind == "provocation_cluster":
            assert after[cluster.source] >= before[cluster.source] - 1e-12


@given(cases(), st.sampled_from(SCREENS))
def test_a_red_flag_screen_never_lowers_the_level(case: Case, screen: str) -> None:
    before = assess(case, PREPARED).triage.level
    after = assess(with_answer(case, screen, True), PREPARED).triage.level
    assert severity(after) >= severity(before)


@given(cases())
def test_emergency_returns_no_exercises(case: Case) -> None:
    result = assess(case, PREPARED)
    if result.triage.level == "emergency":
        assert not [r for r in result.recommendations if r.kind == "exercise"]


@given(cases())
def test_level_is_at_least_every_raised_flag(case: Case) -> None:
    result = assess(case, PREPARED)
    for flag in result.red_flags:
        assert severity(result.triage.level) >= severity(flag.level)
        items = {r.id for r in result.recommendations}
        assert not items & {i.id for i in KB.recommendations.values() if flag.id in i.unsafe_with}


@given(cases())
def test_next_questions_are_unasked_and_distinct(case: Case) -> None:
    questions = [q.finding for q in assess(case, PREPARED).next_questions]
    assert len(questions) == len(set(questions))
    assert not set(questions) & set(case.findings)
    if case.respondent == "patient" and questions:
        unasked_patient = [
            f
            for f in FINDING_IDS
            if f not in case.findings and KB.findings[f].audience == "patient"
        ]
        if len(unasked_patient) >= KB.policy.max_next_questions:
            assert all(KB.findings[q].audience == "patient" for q in questions)


def assert_flat_parentheses(text: str) -> None:
    """Glosses sit in parentheses; a sentence never nests them (hard to read aloud)."""
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        assert 0 <= depth <= 1, text
    assert depth == 0, text


@given(cases())
def test_hamstring_check_is_consistent_with_the_hamstring_sources(case: Case) -> None:
    result = assess(case, PREPARED)
    check = result.hamstring_check
    probabilities = {s.id: s.probability for s in result.sources}
    strain, tendon = (
        probabilities["hamstring_strain"],
        probabilities["proximal_hamstring_tendinopathy"],
    )
    assert 0.0 <= check.probability <= 1.0
    assert check.probability == pytest.approx(1 - (1 - strain) * (1 - tendon))
    assert check.probability >= max(strain, tendon) - 1e-12
    bands = KB.policy.hamstring_check
    likely, possible = KB.policy.likely_threshold, KB.policy.possible_threshold
    other = next(s for s in result.sources if s.id not in bands.sources)
    top_other = other.probability
    supported = sum(math.log(e.likelihood_ratio) for e in other.evidence) > 0
    # Outranked by a likely source more probable than the hamstring as a whole, or, with
    # neither hamstring source likely alone, by a possible one that the findings point
    # to and that is more probable than each.
    best = max(strain, tendon)
    outranked = (top_other >= likely and top_other > check.probability) or (
        best < likely and top_other >= possible and top_other > best and supported
    )
    expected = (
        "likely_hamstring"
        if check.probability >= bands.likely and not outranked
        else "possibly_hamstring"
        if check.probability >= bands.possible
        else "unlikely_hamstring"
    )
    if expected == "likely_hamstring":
        # "Likely" needs something reported that points to it; until then "possibly".
        supported = bool(check.deciding_findings)
        expected = "likely_hamstring" if supported else "possibly_hamstring"
    assert check.verdict == expected
    if outranked:
        assert check.better_fit is not None
        assert probabilities[check.better_fit] == top_other
    if check.better_fit is not None:
        # the source better_fit names is the one the sentence says fits better
        name = KB.sources[check.better_fit].name
        assert name[:1].lower() + name[1:] in check.explanation
    assert check.explanation.endswith(".")
    # Source names carry glosses in parentheses: the sentence never nests them.
    assert_flat_parentheses(check.explanation)
    assert set(check.deciding_findings) <= set(case.findings)
    # Only evidence clearly away from 1 is put in words.
    threshold = KB.policy.rationale.min_likelihood_ratio
    strongest: dict[str, float] = {}
    for source in result.sources:
        if source.id in bands.sources:
            for e in source.evidence:
                effect = abs(math.log(e.likelihood_ratio))
                strongest[e.finding] = max(strongest.get(e.finding, 0.0), effect)
    for finding in check.deciding_findings:
        assert strongest[finding] >= math.log(threshold) - 1e-12, finding
        # ... and the deciding findings are the ones the sentence names.
        entry = KB.findings[finding]
        named = entry.label if case.findings[finding] else (entry.absent_label or entry.label)
        assert named in check.explanation, (finding, check.explanation)


@given(cases())
def test_out_of_scope_never_returns_exercises_and_is_at_least_soon(case: Case) -> None:
    result = assess(case, PREPARED)
    if not result.coverage.in_scope:
        assert not [r for r in result.recommendations if r.kind == "exercise"]
        assert severity(result.triage.level) >= severity("soon")


@given(cases())
def test_every_source_has_a_rationale_naming_only_known_findings(case: Case) -> None:
    result = assess(case, PREPARED)
    assert set(result.rationales) == set(KB.sources)
    for text in [*result.rationales.values(), *result.triage.reasons]:
        assert text.endswith(".") or text in {flag.name for flag in KB.red_flags.values()}
        assert "_" not in text  # plain language: no ids leak into the sentences
        assert_flat_parentheses(text)


@given(cases())
def test_every_reason_has_its_code(case: Case) -> None:
    triage = assess(case, PREPARED).triage
    assert len(triage.reason_codes) == len(triage.reasons)
    flags = {f"red_flag:{flag}" for flag in KB.red_flags}
    escalations = {f"escalation:{e.id}" for e in KB.policy.escalations}
    for code in triage.reason_codes:
        kind, _, target = code.partition(":")
        if kind == "red_flag":
            assert code in flags
        elif kind == "escalation":
            assert code in escalations
        elif target:
            assert target in KB.sources, code
        else:
            assert code in KB.policy.reasons or code in {"out_of_scope"}, code


@given(cases())
def test_strain_details_only_when_a_strain_is_likely(case: Case) -> None:
    result = assess(case, PREPARED)
    strain = next(s for s in result.sources if s.id == "hamstring_strain")
    assert (result.hamstring_strain is not None) == (strain.band == "likely")
    if result.hamstring_strain is not None:
        details = result.hamstring_strain
        assert 0 < details.recovery_weeks_low <= details.recovery_weeks_high
        assert details.references


@given(cases())
def test_differential_gain_is_bounded_by_the_uncertainty_over_the_contenders(case: Case) -> None:
    result = assess(case, PREPARED)
    probabilities = [0.0] * len(PREPARED.sources)
    for score in result.sources:
        probabilities[PREPARED.source_index[score.id]] = score.probability
    weighted = contenders(probabilities, PREPARED)
    assert sum(w for _, w in weighted) == pytest.approx(1.0)
    entropy = -sum(w * math.log2(w) for _, w in weighted if w > 0)
    for finding in FINDING_IDS:
        gain = differential_gain(finding, weighted, PREPARED)
        assert 0.0 <= gain <= entropy + 1e-9, finding
