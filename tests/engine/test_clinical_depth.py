"""Is it really the hamstring?, rationales, coverage and strain details."""

from __future__ import annotations

from app.engine import Assessment, Case, Prepared, assess


def run(prepared: Prepared, findings: dict[str, bool | None], **demographics: object) -> Assessment:
    return assess(Case(findings=findings, **demographics), prepared)  # type: ignore[arg-type]


SPRINT_STRAIN = {
    "sudden_onset": True,
    "onset_during_sprint": True,
    "pain_mid_thigh": True,
    "pain_fast_running": True,
    "low_back_pain": False,
}

LUMBAR_THOUGHT_HAMSTRING = {
    "treated_as_hamstring_without_improvement": True,
    "sudden_onset": False,
    "low_back_pain": True,
    "pain_changes_with_back_movement": True,
    "pain_below_knee": True,
}


def test_a_sprint_strain_is_likely_hamstring_with_a_sprint_recovery(prepared: Prepared) -> None:
    result = run(prepared, SPRINT_STRAIN, activities=frozenset({"soccer"}), duration_weeks=2)
    assert result.hamstring_check.verdict == "likely_hamstring"
    assert "onset_during_sprint" in result.hamstring_check.deciding_findings
    assert result.hamstring_strain is not None
    assert result.hamstring_strain.onset_type == "sprint"
    assert result.hamstring_strain.recovery_weeks_high <= 16
    ids = {r.id for r in result.recommendations}
    assert "high_speed_running_progression" in ids
    assert "stretch_type_recovery" not in ids


def test_a_stretch_strain_gets_a_longer_range_and_different_plan(prepared: Prepared) -> None:
    findings = {**SPRINT_STRAIN, "onset_during_sprint": False, "onset_during_stretch": True}
    result = run(prepared, findings, activities=frozenset({"dance"}), duration_weeks=2)
    assert result.hamstring_strain is not None
    assert result.hamstring_strain.onset_type == "stretch"
    assert result.hamstring_strain.recovery_weeks_high >= 50
    ids = {r.id for r in result.recommendations}
    assert "stretch_type_recovery" in ids
    assert "high_speed_running_progression" not in ids
    assert "hamstring_lengthening_l_protocol" in ids


def test_lumbar_referral_is_unlikely_hamstring_and_names_the_better_fit(prepared: Prepared) -> None:
    result = run(prepared, LUMBAR_THOUGHT_HAMSTRING)
    check = result.hamstring_check
    assert check.verdict == "unlikely_hamstring"
    assert check.better_fit == "lumbar_spine"
    assert "lumbar spine" in check.explanation
    assert result.triage.level == "soon"
    # No hamstring loading for someone whose hamstring treatment failed and whose spine
    # fits better.
    given = {r.id for r in result.recommendations}
    assert given.isdisjoint({"eccentric_hamstring_curl", "isometric_hamstring_bridge"})


def test_a_red_flag_comes_before_the_hamstring_verdict(prepared: Prepared) -> None:
    # A swollen calf after a sudden onset during a sprint: the verdict alone would read
    # "this looks like a hamstring problem" beside a possible clot.
    findings = {**SPRINT_STRAIN, "calf_or_thigh_swelling": True, "long_travel": True}
    result = run(prepared, findings, activities=frozenset({"soccer"}))
    assert [flag.id for flag in result.red_flags] == ["suspected_dvt"]
    check = result.hamstring_check
    assert check.explanation.startswith("Possible deep vein thrombosis must be checked first")
    assert check.explanation.count(".") == 1
    without = run(prepared, SPRINT_STRAIN, activities=frozenset({"soccer"})).hamstring_check
    assert check.verdict == without.verdict
    assert without.explanation[1:] in check.explanation


def test_a_possible_hamstring_with_nothing_for_it_says_so_plainly(prepared: Prepared) -> None:
    # The spine fits better and nothing points to the hamstring: no "as nothing ... points
    # to it", and the deciding findings are the ones named.
    back = {"low_back_pain": True, "pain_changes_with_back_movement": True}
    check = run(prepared, back, age=44).hamstring_check
    assert check.verdict == "possibly_hamstring"
    assert check.better_fit == "lumbar_spine"
    assert "as nothing" not in check.explanation
    assert check.explanation.startswith("A hamstring problem is still possible, but nothing")
    assert set(check.deciding_findings) == set(back)
    against = run(prepared, {"sudden_onset": False, "pain_mid_thigh": False}, age=30)
    check = against.hamstring_check
    assert check.verdict == "possibly_hamstring"
    assert "nothing reported so far points to it" in check.explanation
    assert "points to it, while" not in check.explanation
    assert set(check.deciding_findings) <= {"sudden_onset", "pain_mid_thigh"}


def test_a_suspected_avulsion_says_the_strain_range_does_not_cover_it(prepared: Prepared) -> None:
    findings = {"sudden_onset": True, "pop_at_onset": True, "bruising_back_of_thigh": True}
    result = run(prepared, findings, age=45, activities=frozenset({"water_skiing"}))
    assert "suspected_avulsion" in {f.id for f in result.red_flags}
    assert result.hamstring_strain is not None
    caveat = prepared.kb.policy.recovery_caveats["suspected_avulsion"]
    assert result.hamstring_strain.note.endswith(caveat)
    plain = run(prepared, {"sudden_onset": True, "pain_mid_thigh": True}, age=25)
    assert plain.hamstring_strain is not None
    assert caveat not in plain.hamstring_strain.note


def test_everything_unknown_says_so_rather_than_promising_questions(prepared: Prepared) -> None:
    result = run(prepared, dict.fromkeys(prepared.kb.findings, None), age=44)
    assert result.next_questions == ()
    reasons = prepared.kb.policy.reasons
    assert result.triage.reasons == (reasons["no_clear_source_unanswered"],)
    assert result.triage.level == "soon"


def test_the_level_advice_is_worded_for_whoever_answers(prepared: Prepared) -> None:
    policy = prepared.kb.policy
    patient = run(prepared, SPRINT_STRAIN, age=24, activities=frozenset({"soccer"}))
    clinician = run(
        prepared, SPRINT_STRAIN, age=24, activities=frozenset({"soccer"}), respondent="clinician"
    )
    assert patient.triage.level == clinician.triage.level == "self_care"
    assert patient.triage.advice == policy.level_advice["self_care"]
    assert "yourself" in patient.triage.advice
    assert clinician.triage.advice == policy.clinician_level_advice["self_care"]
    assert "yourself" not in clinician.triage.advice


def test_reasons_carry_stable_codes(prepared: Prepared) -> None:
    lumbar = run(prepared, LUMBAR_THOUGHT_HAMSTRING)
    assert "escalation:failed_hamstring_treatment" in lumbar.triage.reason_codes
    emergency = run(prepared, {"saddle_numbness": True})
    assert emergency.triage.reason_codes == ("red_flag:cauda_equina",)
    strain = run(prepared, SPRINT_STRAIN, age=24, activities=frozenset({"soccer"}))
    assert strain.triage.reason_codes == ("self_care_likely:hamstring_strain",)


def test_rationale_glosses_examination_tests(prepared: Prepared) -> None:
    result = run(prepared, {"slump_positive": True, "low_back_pain": True}, respondent="clinician")
    assert "slump test (a nerve-tension test" in result.rationales["lumbar_spine"]


def test_sciatica_with_a_likely_spinal_source_goes_to_a_clinician(prepared: Prepared) -> None:
    back = {"low_back_pain": True, "pain_changes_with_back_movement": True}
    back["deep_buttock_pain"] = True
    somatic = run(prepared, back, age=52)
    assert somatic.triage.level == "self_care"
    # Pain travelling below the knee: a root, not somatic referral, which stays above it.
    radicular = run(prepared, {**back, "pain_below_knee": True}, age=52)
    assert radicular.triage.level == "soon"
    assert "escalation:radicular_pain_below_knee" in radicular.triage.reason_codes


def test_evidence_against_the_band_reads_as_a_concession(prepared: Prepared) -> None:
    # Only findings against a possible source: "possible, though ...", not "possible: ...".
    knee = {"pain_straightening_or_bending_knee": True, "knee_swelling": True}
    rationale = run(prepared, knee, age=58).rationales["lumbar_spine"]
    assert rationale.startswith("Lumbar spine")
    assert ") is possible, though " in rationale
    assert "straightening or bending the knee points away from it." in rationale
    # Only findings for an unlikely source: "unlikely, though ... towards it".
    sitting = {"pain_with_sitting": True, "treated_as_hamstring_without_improvement": True}
    internus = run(prepared, sitting).rationales["obturator_internus"]
    assert ") is unlikely, though pain when sitting and " in internus
    assert internus.endswith("point towards it.")


def test_knee_swelling_is_out_of_scope(prepared: Prepared) -> None:
    result = run(prepared, {"knee_swelling": True, "pain_walking": True})
    assert not result.coverage.in_scope
    assert "knee joint" in result.coverage.note
    assert result.coverage.pointing_outside == ("knee_swelling",)
    assert result.triage.level == "soon"
    assert not [r for r in result.recommendations if r.kind == "exercise"]


def test_out_of_scope_reasons_say_where_and_do_not_promise_more_questions(
    prepared: Prepared,
) -> None:
    walking = {"pain_with_walking_relieved_by_rest_within_minutes": True, "pain_below_knee": True}
    claudication = run(prepared, walking, age=70)
    assert claudication.triage.reason_codes[-1] == "out_of_scope"
    assert "blood supply of the leg" in claudication.triage.reasons[-1]
    assert "no_clear_source_yet" not in claudication.triage.reason_codes


def test_reasons_and_notes_address_the_respondent(prepared: Prepared) -> None:
    vague = {"deep_buttock_pain": True, "pain_with_sitting": True}
    patient = run(prepared, vague, age=42)
    clinician = run(prepared, vague, age=42, respondent="clinician")
    assert patient.triage.reason_codes == clinician.triage.reason_codes
    assert all("should examine you" in r for r in patient.triage.reasons)
    assert not any(" you" in r for r in clinician.triage.reasons)
    knee = {"knee_swelling": True, "pain_walking": True}
    assert run(prepared, knee).coverage.note.endswith("a clinician should examine you.")
    note = run(prepared, knee, respondent="clinician").coverage.note
    assert note.endswith("examine there.")


def test_a_full_history_fitting_nothing_is_out_of_scope(prepared: Prepared) -> None:
    nothing = dict.fromkeys(
        [
            "sudden_onset",
            "deep_buttock_pain",
            "pain_at_sit_bone",
            "pain_mid_thigh",
            "pain_below_knee",
            "low_back_pain",
            "numbness_or_tingling",
            "pain_with_sitting",
            "pain_running_uphill",
            "pain_fast_running",
            "pain_bending_forward",
            "pain_straightening_or_bending_knee",
            "pain_changes_with_back_movement",
        ],
        False,
    )
    result = run(prepared, nothing)
    assert all(s.band == "unlikely" for s in result.sources)
    assert not result.coverage.in_scope


def test_new_red_flags(prepared: Prepared) -> None:
    fracture = run(
        prepared,
        {"pain_on_hopping": True, "sudden_onset": False},
        activities=frozenset({"running"}),
    )
    assert "suspected_stress_fracture" in {f.id for f in fracture.red_flags}
    bleed = run(prepared, {"anticoagulant_use": True, "calf_or_thigh_swelling": True})
    assert "bleeding_on_anticoagulants" in {f.id for f in bleed.red_flags}
    assert bleed.triage.level == "urgent"
    lump = run(prepared, {"palpable_mass": True})
    assert "possible_tumour" in {f.id for f in lump.red_flags}
    assert lump.triage.level == "soon"


def test_long_standing_bladder_symptoms_are_not_the_cauda_equina_screen(prepared: Prepared) -> None:
    result = run(prepared, {"longstanding_bladder_symptoms": True})
    assert not result.red_flags
    assert result.triage.level != "emergency"


def test_interview_respects_the_respondent(prepared: Prepared) -> None:
    patient = run(prepared, {"saddle_numbness": False, "bladder_or_bowel_change": False})
    assert all(
        prepared.kb.findings[q.finding].audience == "patient" for q in patient.next_questions
    )
