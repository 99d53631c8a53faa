"""The clinical claims the service exists to make (SPEC section 1), one test each."""

from __future__ import annotations

import pytest

from app.engine import Assessment, Case, Prepared, assess


def run(prepared: Prepared, findings: dict[str, bool | None], **demographics: object) -> Assessment:
    return assess(Case(findings=findings, **demographics), prepared)  # type: ignore[arg-type]


# The cauda equina pair asked first in every interview, answered no.
SCREENED: dict[str, bool | None] = {"saddle_numbness": False, "bladder_or_bowel_change": False}


def _after_the_core(prepared: Prepared, **present: bool) -> dict[str, bool | None]:
    """The cauda equina pair denied and the core history answered: no, except `present`."""
    core = prepared.kb.policy.interview.core_history
    return SCREENED | dict.fromkeys(core, False) | present


def probability(result: Assessment, source: str) -> float:
    return next(s.probability for s in result.sources if s.id == source)


def ids(result: Assessment) -> set[str]:
    return {r.id for r in result.recommendations}


TRUE_HAMSTRING_PATTERN = {
    "pain_running_uphill": True,
    "pain_fast_running": True,
    "pain_bending_forward": True,
    "pain_straightening_or_bending_knee": True,
    "pain_walking": True,
}


def test_true_hamstring_pattern_makes_hamstring_likely(prepared: Prepared) -> None:
    baseline = run(prepared, {})
    result = run(prepared, TRUE_HAMSTRING_PATTERN)
    assert probability(result, "hamstring_strain") > probability(baseline, "hamstring_strain")
    assert result.sources[0].id in {"hamstring_strain", "proximal_hamstring_tendinopathy"}


def test_sitting_pain_raises_obturator_internus(prepared: Prepared) -> None:
    baseline = run(prepared, {})
    sitting = run(prepared, {"pain_with_sitting": True})
    assert probability(sitting, "obturator_internus") > 2 * probability(
        baseline, "obturator_internus"
    )
    no_sitting = run(prepared, {"pain_with_sitting": False})
    assert probability(no_sitting, "obturator_internus") < probability(
        baseline, "obturator_internus"
    )


def test_sitting_pattern_with_pelvic_floor_symptoms_leads_to_obturator_internus(
    prepared: Prepared,
) -> None:
    result = run(
        prepared,
        {
            "pain_with_sitting": True,
            "relief_on_standing": True,
            "deep_buttock_pain": True,
            "pelvic_floor_symptoms": True,
            "obturator_internus_tenderness": True,
        },
        sex="female",
    )
    assert result.sources[0].id == "obturator_internus"
    assert "obturator_internus_manual_release" in ids(result)
    assert result.triage.level == "soon"


def test_failed_hamstring_rehab_lowers_hamstring_and_raises_the_level(prepared: Prepared) -> None:
    strain = {"sudden_onset": True, "pain_fast_running": True}
    before = run(prepared, strain)
    after = run(prepared, {**strain, "treated_as_hamstring_without_improvement": True})
    assert probability(after, "hamstring_strain") < probability(before, "hamstring_strain")
    for other in ("lumbar_spine", "sciatic_nerve", "obturator_internus", "sacroiliac_joint"):
        assert probability(after, other) > probability(before, other)
    assert before.triage.level == "self_care"
    assert after.triage.level == "soon"


def test_combinations_can_both_be_likely(prepared: Prepared) -> None:
    result = run(
        prepared,
        {
            "sudden_onset": True,
            "pain_fast_running": True,
            "hamstring_tenderness": True,
            "deep_buttock_pain": True,
            "burning_or_electric_pain": True,
            "slump_positive": True,
            "seated_piriformis_test_positive": True,
        },
        respondent="clinician",
    )
    likely = {s.id for s in result.sources if s.band == "likely"}
    assert {"hamstring_strain", "sciatic_nerve"} <= likely


def test_neural_tension_gets_sliders_with_a_small_dose(prepared: Prepared) -> None:
    result = run(
        prepared,
        {
            "deep_buttock_pain": True,
            "burning_or_electric_pain": True,
            "slump_positive": True,
            "low_back_pain": False,
        },
    )
    assert {"sciatic_nerve_slider", "limit_neural_mobility_dose"} <= ids(result)
    slider = next(r for r in result.recommendations if r.id == "sciatic_nerve_slider")
    assert slider.dosage is not None
    assert slider.dosage.reps <= 5


def test_eccentric_work_and_running_form_for_a_runner_with_a_strain(prepared: Prepared) -> None:
    result = run(
        prepared,
        TRUE_HAMSTRING_PATTERN | {"sudden_onset": True},
        activities=frozenset({"running", "yoga"}),
        duration_weeks=3,
    )
    assert {
        "nordic_hamstring_exercise",
        "eccentric_hamstring_curl",
        "increase_running_cadence",
        "land_under_center_of_mass",
        "dynamic_warm_up",
        "avoid_overstretching_hamstring",
    } <= ids(result)


def test_red_flags_win_over_a_classic_strain(prepared: Prepared) -> None:
    result = run(prepared, TRUE_HAMSTRING_PATTERN | {"sudden_onset": True, "saddle_numbness": True})
    assert result.sources[0].id == "hamstring_strain"
    assert result.triage.level == "emergency"
    assert [f.id for f in result.red_flags] == ["cauda_equina"]
    assert result.recommendations == ()


def test_self_care_needs_a_simple_cause_that_is_likely(prepared: Prepared) -> None:
    # SPEC: self_care where a simple source is likely. Deep buttock pain alone leaves every
    # source short of likely: a clinician should look, and the reason says it is early.
    policy = prepared.kb.policy
    unclear = run(prepared, {"deep_buttock_pain": True, "sudden_onset": False})
    assert "likely" not in {s.band for s in unclear.sources}
    assert unclear.triage.level == "soon"
    assert unclear.triage.reasons == (policy.reasons["no_clear_source_yet"],)
    # A possible source that needs a clinician is reason enough, and the only one given.
    sacroiliac = run(prepared, {"points_to_sacroiliac_dimple": True}, age=40)
    assert "likely" not in {s.band for s in sacroiliac.sources}
    assert sacroiliac.triage.level == "soon"
    assert sacroiliac.triage.reasons == (
        policy.reasons["clinician_source_possible"].format(
            name=prepared.kb.sources["sacroiliac_joint"].name
        ),
    )
    # A strain that is likely can be managed with the advice.
    strain = run(prepared, {"sudden_onset": True, "onset_during_sprint": True}, age=24)
    assert strain.sources[0].id == "hamstring_strain"
    assert strain.sources[0].band == "likely"
    assert strain.triage.level == "self_care"
    # ... and says why: the simple cause that is likely.
    assert strain.triage.reasons == (
        policy.reasons["self_care_likely"].format(name="Hamstring muscle strain"),
    )
    # After a full history with nothing likely, the reason says the picture is unclear.
    history = sorted(prepared.patient_history)[: policy.min_answered_patient_findings]
    full = run(prepared, dict.fromkeys(history, False))
    assert "likely" not in {s.band for s in full.sources}
    assert full.triage.reasons == (policy.reasons["no_clear_source"],)


def test_nothing_answered_is_never_called_safe_to_self_manage(prepared: Prepared) -> None:
    # A young sprinter a few days after the onset: a strain is likely before any question
    # is answered, but nothing reported points to it and no red flag has been screened.
    policy = prepared.kb.policy
    sprinter = {"age": 22, "sex": "male", "activities": frozenset({"sprinting"})}
    blank = run(prepared, {}, duration_weeks=0.5, **sprinter)
    assert blank.sources[0].id == "hamstring_strain"
    assert blank.sources[0].band == "likely"
    assert blank.triage.level == "soon"
    assert blank.triage.reasons == (
        policy.reasons["likely_unsupported"].format(name="Hamstring muscle strain"),
    )
    check = blank.hamstring_check
    # More likely than not from the starting estimate, but not "likely" before anything
    # reported points to it.
    assert check.probability >= policy.hamstring_check.likely
    assert check.verdict == "possibly_hamstring"
    assert "nothing reported so far points to it" in check.explanation
    # ... nor a reason to start loading it.
    assert not [r for r in blank.recommendations if r.kind == "exercise"]
    # Nothing answered at all ("I don't know" counts as nothing): no exercise either.
    unknown = run(prepared, {"sudden_onset": None}, age=40)
    assert "likely" not in {s.band for s in unknown.sources}
    assert unknown.recommendations
    assert not [r for r in unknown.recommendations if r.kind == "exercise"]
    # One answer that points to the strain is enough to call it self-manageable.
    onset = run(prepared, {"sudden_onset": True}, duration_weeks=0.5, **sprinter)
    assert onset.triage.level == "self_care"
    # ... in its first days: protect it, then load it (no Nordic curls yet).
    assert "acute_strain_first_days" in ids(onset)
    assert "nordic_hamstring_exercise" not in ids(onset)


def test_strain_exercises_are_staged_by_weeks_since_onset(prepared: Prepared) -> None:
    sprint = {"sudden_onset": True, "onset_during_sprint": True, "pain_mid_thigh": True}
    footballer = {"age": 22, "activities": frozenset({"soccer"})}

    def offered(weeks: float | None) -> set[str]:
        return ids(run(prepared, sprint, duration_weeks=weeks, **footballer))

    # The first days: protect, then load; nothing heavy, no fast running.
    assert offered(0) >= {"acute_strain_first_days"}
    assert offered(0).isdisjoint(
        {"nordic_hamstring_exercise", "high_speed_running_progression", "eccentric_hamstring_curl"}
    )
    # The first-days advice stops where the lengthening exercises start, never both.
    at_start = offered(0.7)
    assert "hamstring_lengthening_l_protocol" in at_start
    assert "acute_strain_first_days" not in at_start
    # About five days on: the lengthening exercises (the trials' start); a week on: running.
    assert "hamstring_lengthening_l_protocol" in offered(0.8)
    assert "high_speed_running_progression" not in offered(0.8)
    assert "high_speed_running_progression" in offered(1.5)
    # Nordic curls from two weeks; the first-days advice no longer.
    assert "nordic_hamstring_exercise" in offered(3)
    assert "acute_strain_first_days" not in offered(3)
    # Not while a torn tendon is being ruled out (from 40, bruising after a sudden injury).
    bruised = run(prepared, {**sprint, "bruising_back_of_thigh": True}, duration_weeks=0, age=45)
    assert "suspected_avulsion" in {f.id for f in bruised.red_flags}
    assert "acute_strain_first_days" not in ids(bruised)
    # A sudden injury of unknown date is staged as a fresh one: the first days' advice says
    # when to start loading; Nordic curls could otherwise come a day after the tear.
    assert offered(None) == offered(0)
    # ... unless what is reported says the first days are past.
    running = {**sprint, "pain_fast_running": True}
    assert "acute_strain_first_days" not in ids(run(prepared, running, **footballer))
    # A gradual onset of unknown date is not an acute strain: nothing is held back.
    gradual = {"sudden_onset": False, "pain_fast_running": True, "pain_mid_thigh": True}
    assert "acute_strain_first_days" not in ids(run(prepared, gradual, **footballer))
    # High-speed running is for people whose sport asks for it.
    other = ids(run(prepared, sprint, duration_weeks=3, age=22, activities=frozenset({"other"})))
    assert "high_speed_running_progression" not in other


def test_a_likely_hamstring_problem_still_names_another_likely_source(
    prepared: Prepared,
) -> None:
    answers = {
        "pain_at_sit_bone": True,
        "pain_with_sitting": True,
        "pelvic_floor_symptoms": True,
        "deep_buttock_pain": True,
        "sudden_onset": False,
        "low_back_pain": False,
        "pain_changes_with_back_movement": False,
    }
    result = run(prepared, answers, age=38, sex="female")
    bands = {s.id: s.band for s in result.sources}
    assert bands["obturator_internus"] == "likely"
    assert result.hamstring_check.verdict == "likely_hamstring"
    assert "obturator internus" in result.hamstring_check.explanation


def test_leg_numbness_with_a_likely_spinal_source_is_at_least_soon(prepared: Prepared) -> None:
    # SPEC: at least `soon` where a nerve root is involved; tingling in the leg with a
    # likely lumbar source is radicular until shown otherwise.
    answers = {
        "low_back_pain": True,
        "pain_changes_with_back_movement": True,
        "pain_bending_forward": True,
        "sudden_onset": False,
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
    }
    without = run(prepared, answers, age=45)
    assert without.sources[0].id == "lumbar_spine"
    assert without.sources[0].band == "likely"
    assert without.triage.level == "self_care"
    # Tingling in the leg, or leg pain on coughing or sneezing (Vroomen 2002), is radicular.
    for sign in ("numbness_or_tingling", "pain_cough_sneeze"):
        radicular = run(prepared, {**answers, sign: True}, age=45)
        assert radicular.sources[0].band == "likely", sign
        assert radicular.triage.level == "soon", sign
        assert any("nerve root" in reason for reason in radicular.triage.reasons), sign


def test_nerve_root_involvement_is_at_least_soon(prepared: Prepared) -> None:
    result = run(prepared, {"neuro_deficit": True}, respondent="clinician")
    assert result.triage.level == "soon"


def test_sacroiliac_cluster_is_a_rule_not_a_product(prepared: Prepared) -> None:
    tests = [
        "sij_distraction_positive",
        "sij_thigh_thrust_positive",
        "sij_compression_positive",
        "sij_sacral_thrust_positive",
        "sij_gaenslen_positive",
    ]
    two = run(prepared, {t: i < 2 for i, t in enumerate(tests)})
    five = run(prepared, dict.fromkeys(tests, True))
    none = run(prepared, dict.fromkeys(tests, False))
    baseline = run(prepared, {})
    assert probability(two, "sacroiliac_joint") == probability(five, "sacroiliac_joint")
    assert probability(none, "sacroiliac_joint") < probability(baseline, "sacroiliac_joint") / 3


def test_avulsion_signs_are_urgent_and_withhold_loading(prepared: Prepared) -> None:
    result = run(
        prepared,
        {"sudden_onset": True, "pop_at_onset": True, "bruising_back_of_thigh": True},
        activities=frozenset({"water_skiing"}),
    )
    assert "suspected_avulsion" in {f.id for f in result.red_flags}
    assert result.triage.level == "urgent"
    assert not [r for r in result.recommendations if r.kind == "exercise"]


def test_interview_asks_the_cauda_equina_screen_first(prepared: Prepared) -> None:
    first = run(prepared, {}).next_questions
    assert [q.finding for q in first[:2]] == ["saddle_numbness", "bladder_or_bowel_change"]


def test_general_screens_wait_for_the_core_history(prepared: Prepared) -> None:
    policy = prepared.kb.policy.interview
    screened = dict(SCREENED)
    during = run(prepared, screened).next_questions
    # Nothing in the presentation makes another screen relevant: the history comes next.
    assert during[0].finding in policy.core_history
    assert during[0].reason == "information_gain"
    # (mid-thigh pain: pain elsewhere would first ask whether the knee swells)
    after = run(prepared, _after_the_core(prepared, pain_mid_thigh=True)).next_questions
    remaining = [f for f in policy.general_screen_order if f not in screened]
    assert [q.finding for q in after[:3]] == remaining[:3]
    assert all(q.reason == "red_flag_screen" for q in after[:3])


def test_a_positive_core_answer_is_followed_up_at_once(prepared: Prepared) -> None:
    core = prepared.kb.policy.interview.core_history
    screened = dict(SCREENED)
    negative = run(prepared, {**screened, "deep_buttock_pain": False}).next_questions
    assert negative[0].finding in core
    positive = run(prepared, {**screened, "deep_buttock_pain": True}).next_questions
    follow_up = positive[0]
    assert follow_up.finding not in core
    assert follow_up.reason == "information_gain"
    assert prepared.kb.findings[follow_up.finding].audience == "patient"
    # Once the follow-up is answered, the core history resumes.
    answered = {**screened, "deep_buttock_pain": True, follow_up.finding: None}
    assert run(prepared, answered).next_questions[0].finding in core


def test_an_examining_clinician_gets_two_follow_ups(prepared: Prepared) -> None:
    core = prepared.kb.policy.interview.core_history
    answers: dict[str, bool | None] = {
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        "deep_buttock_pain": True,
    }
    follow_ups = []
    for _ in range(2):
        question = run(prepared, answers, respondent="clinician").next_questions[0]
        assert question.finding not in core
        follow_ups.append(question.finding)
        answers[question.finding] = None
    assert len(set(follow_ups)) == 2
    assert run(prepared, answers, respondent="clinician").next_questions[0].finding in core


def test_sitting_and_deep_buttock_pain_lead_to_the_pelvic_floor_question(
    prepared: Prepared,
) -> None:
    # Tendinopathy, sciatic nerve, strain and obturator internus are all in contention;
    # pelvic floor symptoms are what sets obturator internus apart (Meknas 2003),
    # though that source is not yet the most probable.
    answers = {
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        "pain_with_sitting": True,
        "deep_buttock_pain": True,
        "pain_changes_with_back_movement": False,
    }
    result = run(prepared, answers, age=35, sex="female")
    assert result.next_questions[0].finding == "pelvic_floor_symptoms"


def test_relevant_screens_move_up(prepared: Prepared) -> None:
    swollen = run(
        prepared,
        {
            "saddle_numbness": False,
            "bladder_or_bowel_change": False,
            "calf_or_thigh_swelling": True,
        },
    )
    asked = [q.finding for q in swollen.next_questions[:3]]
    assert {"recent_immobilization", "recent_surgery", "long_travel"} & set(asked)


@pytest.mark.parametrize(
    ("presentation", "asked_next"),
    [
        # A swollen leg: a swollen knee (a burst knee cyst) and every DVT risk the rules
        # name, after the tense thigh of a compartment syndrome; active cancer (Wells)
        # comes sixth, beyond the five questions returned.
        (
            {"calf_or_thigh_swelling": True},
            ["knee_swelling", "recent_immobilization", "recent_surgery", "long_travel"],
        ),
        # Night pain: the infection screens, since the rules pair it with immunosuppression.
        ({"night_pain_unrelieved": True}, ["fever_or_chills", "immunosuppression_or_iv_drug_use"]),
        # On blood thinners: every sign of a bleed into the thigh the rules name.
        (
            {"anticoagulant_use": True},
            ["bruising_back_of_thigh", "calf_or_thigh_swelling", "tense_swollen_thigh"],
        ),
        # Claudication: check the leg is not already short of blood.
        (
            {"pain_with_walking_relieved_by_rest_within_minutes": True},
            ["cold_pale_or_pulseless_leg"],
        ),
    ],
)
def test_a_presentation_brings_its_screens_forward(
    prepared: Prepared, presentation: dict[str, bool | None], asked_next: list[str]
) -> None:
    screened = dict(SCREENED)
    questions = run(prepared, {**screened, **presentation}, age=40).next_questions
    first = [q.finding for q in questions[: len(asked_next) + 1]]
    assert set(asked_next) <= set(first), first


def test_deep_buttock_pain_in_the_young_brings_the_fever_screen_forward(
    prepared: Prepared,
) -> None:
    # Septic sacroiliitis and pelvic pyomyositis present as deep buttock pain, mostly in
    # children and young adults; older, the fever screen waits for the safety checklist.
    answers = {
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        "deep_buttock_pain": True,
    }
    young = run(prepared, answers, age=19).next_questions[0]
    assert (young.finding, young.reason) == ("fever_or_chills", "red_flag_screen")
    older = run(prepared, answers, age=45).next_questions[0]
    assert older.finding != "fever_or_chills"


def test_null_answers_are_never_asked_again(prepared: Prepared) -> None:
    result = run(prepared, {"saddle_numbness": None})
    assert "saddle_numbness" not in {q.finding for q in result.next_questions}


def test_an_emergency_ends_the_history_but_not_the_red_flag_screens(
    prepared: Prepared,
) -> None:
    result = run(prepared, {"saddle_numbness": True})
    assert result.triage.level == "emergency"
    asked = [q.finding for q in result.next_questions]
    assert asked, "the other red flags are still worth knowing"
    core = set(prepared.kb.policy.interview.core_history)
    assert not core & set(asked)
    assert {q.reason for q in result.next_questions} == {"red_flag_screen"}
    # Only what could raise another flag: nothing about journeys or operations, which
    # matter only beside a swollen leg.
    later = run(prepared, {"saddle_numbness": True, **dict.fromkeys(asked, False)})
    remaining = [q.finding for q in later.next_questions]
    assert remaining
    assert not {"long_travel", "recent_surgery", "recent_immobilization"} & set(remaining)


def test_in_an_emergency_a_finding_that_would_raise_another_flag_comes_first(
    prepared: Prepared,
) -> None:
    # A tense, swollen thigh after a sudden injury with bruising: sit-bone pain would add a
    # possible tendon avulsion, which changes what the emergency team images.
    answers: dict[str, bool | None] = {
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        # the other emergencies and the first urgent screen, answered
        "bilateral_leg_symptoms": False,
        "cold_pale_or_pulseless_leg": False,
        "high_energy_trauma": False,
        "unable_to_bear_weight": False,
        "progressive_weakness": False,
        "tense_swollen_thigh": True,
        "sudden_onset": True,
        "bruising_back_of_thigh": True,
        "deep_buttock_pain": False,
        "ischial_tuberosity_tenderness": None,
    }
    result = run(prepared, answers)
    assert result.triage.level == "emergency"
    assert "suspected_avulsion" not in {f.id for f in result.red_flags}
    asked = [q.finding for q in result.next_questions]
    assert "pain_at_sit_bone" in asked
    # a screen that could raise no flag on its own waits
    assert "night_pain_unrelieved" not in asked


def test_a_sudden_injury_is_asked_how_it_happened_once_the_core_is_answered(
    prepared: Prepared,
) -> None:
    # The mechanism sets a strain's type and recovery range (Askling), so the interview
    # asks it before the safety checklist, not at the fortieth question.
    core = prepared.kb.policy.interview.core_history
    answers: dict[str, bool | None] = {
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        **dict.fromkeys(core, None),
        "sudden_onset": True,
        "pop_at_onset": False,
        "bruising_back_of_thigh": False,
    }
    answers.update(dict.fromkeys(["pain_mid_thigh", "pain_fast_running"], True))
    first = run(prepared, answers, age=24).next_questions[0]
    assert first.finding == "onset_during_sprint"
    not_sprinting = run(prepared, {**answers, "onset_during_sprint": False}, age=24)
    assert not_sprinting.next_questions[0].finding == "onset_during_stretch"
    sprinting = run(prepared, {**answers, "onset_during_sprint": True}, age=24)
    assert sprinting.hamstring_strain is not None
    assert sprinting.hamstring_strain.onset_type == "sprint"
    assert "onset_during_stretch" not in [q.finding for q in sprinting.next_questions[:1]]
    # Without a sudden onset the mechanism is not asked ahead of the checklist.
    gradual = run(prepared, {**answers, "sudden_onset": False}, age=24).next_questions[0]
    assert gradual.reason == "red_flag_screen"


def test_ischiofemoral_impingement_gets_advice_of_its_own(prepared: Prepared) -> None:
    stride = {"deep_buttock_pain": True, "pain_long_stride": True, "pain_walking": True}
    result = run(prepared, stride, age=48, sex="female")
    assert result.sources[0].id == "ischiofemoral_impingement"
    assert "shorter_stride_hip_extension" in ids(result)
    assert "shorter_stride_hip_extension" not in ids(run(prepared, {"sudden_onset": True}, age=24))


def test_a_no_makes_its_follow_up_questions_moot(prepared: Prepared) -> None:
    # No pop or mechanism without a sudden onset, no relief on standing without pain when
    # sitting: however long the interview runs.
    answers: dict[str, bool | None] = {"sudden_onset": False, "pain_with_sitting": False}
    moot = {"pop_at_onset", "onset_during_sprint", "onset_during_stretch", "relief_on_standing"}
    for _ in range(len(prepared.kb.findings)):
        questions = run(prepared, answers, age=30).next_questions
        if not questions:
            break
        assert questions[0].finding not in moot
        answers[questions[0].finding] = None
    assert not questions
    assert moot.isdisjoint(answers)
    # After a sudden onset they are asked.
    onset = {**SCREENED, "sudden_onset": True}
    assert run(prepared, onset, age=30).next_questions[0].finding == "pop_at_onset"


def test_no_running_advice_while_the_advice_is_to_stop_running(prepared: Prepared) -> None:
    answers = {"pain_on_hopping": True, "sudden_onset": False, "pain_at_sit_bone": False}
    runner = {"age": 24, "sex": "female", "activities": frozenset({"running", "triathlon"})}
    result = run(prepared, answers, duration_weeks=5, **runner)
    assert "suspected_stress_fracture" in {f.id for f in result.red_flags}
    given = ids(result)
    assert not given & {"increase_running_cadence", "land_under_center_of_mass"}
    # Without the flag a runner with the same pain pattern does get them.
    calm = run(prepared, {**answers, "pain_on_hopping": False, "pain_fast_running": True}, **runner)
    assert {"increase_running_cadence", "land_under_center_of_mass"} <= ids(calm)


def test_a_likely_source_is_not_repeated_as_possible_ones(prepared: Prepared) -> None:
    sitting = {"pain_with_sitting": True, "deep_buttock_pain": True, "pelvic_floor_symptoms": True}
    sitting |= {"sudden_onset": False, "relief_on_standing": True, "pain_at_sit_bone": False}
    result = run(prepared, sitting, age=42, sex="female")
    assert result.sources[0].id == "obturator_internus"
    assert result.sources[0].band == "likely"
    assert result.triage.reason_codes == ("clinician_source_likely:obturator_internus",)
    # With nothing likely, the possible sources that need a clinician are the reasons.
    vague = run(prepared, {"deep_buttock_pain": True, "pain_with_sitting": True}, age=42)
    assert "likely" not in {s.band for s in vague.sources}
    assert any(c.startswith("clinician_source_possible:") for c in vague.triage.reason_codes)


def test_a_recent_birth_points_to_the_sacroiliac_joint_and_is_never_asked_of_a_man(
    prepared: Prepared,
) -> None:
    dimple = {"points_to_sacroiliac_dimple": True, "deep_buttock_pain": True}
    before = probability(run(prepared, dimple, sex="female"), "sacroiliac_joint")
    postpartum = run(prepared, {**dimple, "pregnancy_or_recent_birth": True}, sex="female")
    assert probability(postpartum, "sacroiliac_joint") > before

    def asked(**demographics: object) -> set[str]:
        answers: dict[str, bool | None] = {}
        while questions := run(prepared, answers, **demographics).next_questions:
            answers[questions[0].finding] = None
        return set(answers)

    assert "pregnancy_or_recent_birth" not in asked(age=30, sex="male")
    assert "pregnancy_or_recent_birth" in asked(age=30, sex="female")
    assert "pregnancy_or_recent_birth" in asked(age=30)


def test_sitting_pain_gets_advice_to_offload_the_seat(prepared: Prepared) -> None:
    sitting = {"pain_with_sitting": True, "deep_buttock_pain": True, "pelvic_floor_symptoms": True}
    assert "offload_sitting" in ids(run(prepared, sitting, age=42, sex="female"))
    # Not for pain that sitting does not bring on.
    standing = {**sitting, "pain_with_sitting": False}
    assert "offload_sitting" not in ids(run(prepared, standing, age=42, sex="female"))


def test_buttock_pain_asks_the_sacroiliac_questions_after_the_history(
    prepared: Prepared,
) -> None:
    buttock = _after_the_core(prepared, deep_buttock_pain=True, pain_mid_thigh=True)
    woman = [q.finding for q in run(prepared, buttock, age=31, sex="female").next_questions]
    assert {"points_to_sacroiliac_dimple", "pregnancy_or_recent_birth"} <= set(woman)
    man = [q.finding for q in run(prepared, buttock, age=31, sex="male").next_questions]
    assert "points_to_sacroiliac_dimple" in man
    assert "pregnancy_or_recent_birth" not in man


def test_a_likely_sacroiliac_joint_gets_advice_of_its_own(prepared: Prepared) -> None:
    joint = {
        "points_to_sacroiliac_dimple": True,
        "deep_buttock_pain": True,
        "pregnancy_or_recent_birth": True,
        "sudden_onset": False,
        "pain_sit_to_stand": True,
    }
    result = run(prepared, joint, age=31, sex="female")
    assert result.sources[0].id == "sacroiliac_joint"
    assert result.sources[0].band == "likely"
    assert "sacroiliac_load_management" in ids(result)


def test_injected_drugs_with_new_back_pain_may_be_an_infection(prepared: Prepared) -> None:
    back = {"immunosuppression_or_iv_drug_use": True, "low_back_pain": True}
    for weeks in (0.5, None):
        result = run(prepared, back, age=29, duration_weeks=weeks)
        assert "infection" in {f.id for f in result.red_flags}, weeks
        assert result.triage.level == "urgent"
    # Years of the same mechanical back pain on immunosuppressants is not this rule's...
    assert not run(prepared, back, age=45, duration_weeks=260).red_flags
    # ... unless fever comes with it.
    febrile = run(prepared, {**back, "fever_or_chills": True}, age=45, duration_weeks=260)
    assert "infection" in {f.id for f in febrile.red_flags}


def test_advice_fits_the_level(prepared: Prepared) -> None:
    runner = {"age": 35, "sex": "female", "activities": frozenset({"running"})}
    # A possible clot after a long journey: a doctor within a day, not running technique.
    clot = {"calf_or_thigh_swelling": True, "long_travel": True, "sudden_onset": False}
    urgent = run(prepared, {**clot, "pain_mid_thigh": True}, **runner)
    assert urgent.triage.level == "urgent"
    assert not ids(urgent) & {"increase_running_cadence", "land_under_center_of_mass"}
    # Told to book a clinician within 1-2 weeks, not to wait 2-3 weeks and see.
    sitting = {"pain_with_sitting": True, "deep_buttock_pain": True, "pelvic_floor_symptoms": True}
    soon = run(prepared, sitting, **runner)
    assert soon.triage.level == "soon"
    assert "see_clinician_if_not_improving" not in ids(soon)
    strain = {"sudden_onset": True, "onset_during_sprint": True, "pain_fast_running": True}
    self_care = run(prepared, {**strain, "pain_mid_thigh": True}, **runner)
    assert self_care.triage.level == "self_care"
    assert "see_clinician_if_not_improving" in ids(self_care)


def test_explanations_agree_in_number_and_say_absence_plainly(prepared: Prepared) -> None:
    plural = run(prepared, {"pelvic_floor_symptoms": True}, sex="female")
    by_id = {s.id: s for s in plural.sources}
    assert "pelvic floor symptoms point towards it" in plural.rationales["obturator_internus"]
    assert by_id["obturator_internus"].probability > by_id["obturator_internus"].prior
    absent = run(prepared, {"pain_changes_with_back_movement": False})
    assert "the absence of thigh pain" not in absent.rationales["lumbar_spine"]
    assert (
        "thigh pain that does not change with back movement points away from it"
        in absent.rationales["lumbar_spine"]
    )


def test_the_hamstring_check_weighs_a_finding_by_its_net_effect(prepared: Prepared) -> None:
    # Deep buttock pain makes a strain less likely and a tendinopathy more likely. For "is
    # it the hamstring?" only the net effect counts: here it nudges the combined chance
    # up a little, so it must not be named as pointing away (as the strain alone would).
    answers = {
        "sudden_onset": False,
        "pain_with_sitting": True,
        "pain_at_sit_bone": False,
        "pain_changes_with_back_movement": False,
        "low_back_pain": False,
        "deep_buttock_pain": True,
    }
    runner = {"age": 41, "sex": "male", "activities": frozenset({"running"}), "duration_weeks": 12}
    result = run(prepared, answers, **runner)
    without = run(
        prepared, {k: v for k, v in answers.items() if k != "deep_buttock_pain"}, **runner
    )
    assert result.hamstring_check.probability > without.hamstring_check.probability
    assert "deep buttock pain" in result.rationales["proximal_hamstring_tendinopathy"]
    assert "deep_buttock_pain" not in result.hamstring_check.deciding_findings


@pytest.mark.parametrize(
    ("positive", "asked_next"),
    [
        ("deep_buttock_pain", "groin_pain"),
        ("pain_below_knee", "pain_with_walking_relieved_by_rest_within_minutes"),
    ],
)
def test_after_the_core_the_interview_looks_outside_the_posterior_thigh(
    prepared: Prepared, positive: str, asked_next: str
) -> None:
    core = prepared.kb.policy.interview.core_history
    # (pain away from the sit bone and mid-thigh would first ask about the knee)
    answers = _after_the_core(prepared, **{"pain_mid_thigh": True, positive: True})
    # The screens this presentation makes relevant, answered.
    answers.update(
        dict.fromkeys(
            ["bilateral_leg_symptoms", "progressive_weakness", "calf_or_thigh_swelling"], False
        )
    )
    # Not while the core history is still being taken.
    unasked = [f for f in core if f != positive][:3]
    during = run(prepared, {f: a for f, a in answers.items() if f not in unasked}, age=40)
    assert asked_next not in [q.finding for q in during.next_questions]
    after = run(prepared, answers, age=40).next_questions
    # (with the other questions the history calls for, ranked by gain, before the checklist)
    ranked = [q.finding for q in after if q.reason == "information_gain"]
    assert asked_next in ranked[:2]
    assert all(q.reason == "information_gain" for q in after[: len(ranked)])


def test_a_swollen_leg_that_no_injury_explains_is_a_suspected_clot(prepared: Prepared) -> None:
    unexplained = {
        "calf_or_thigh_swelling": True,
        "pain_below_knee": True,
        "sudden_onset": False,
        "recent_surgery": False,
        "recent_immobilization": False,
        "long_travel": False,
    }
    result = run(prepared, unexplained, age=58)
    assert "suspected_dvt" in {f.id for f in result.red_flags}
    assert result.triage.level == "urgent"
    # The sources are not claimed to explain a suspected clot.
    texts = prepared.kb.policy.coverage.texts
    assert result.coverage.in_scope
    assert result.coverage.note == texts["flagged_note"]
    # A swollen thigh after a sudden injury, with no risk factor, is the injury's ...
    thigh = {**unexplained, "sudden_onset": True, "pain_below_knee": False}
    injured = run(prepared, thigh, age=58)
    assert "suspected_dvt" not in {f.id for f in injured.red_flags}
    assert not injured.red_flags
    assert injured.coverage.note == texts["in_scope_note"]
    # ... but swelling with pain below the knee needs a clot excluded whatever the onset.
    calf = run(prepared, {**unexplained, "sudden_onset": True}, age=58)
    assert "suspected_dvt" in {f.id for f in calf.red_flags}


def test_a_swollen_leg_of_unknown_onset_or_with_a_swollen_knee_is_a_suspected_clot(
    prepared: Prepared,
) -> None:
    # "Don't know" about the onset, or not asked yet, explains nothing.
    for onset in ({}, {"sudden_onset": None}):
        result = run(prepared, {"calf_or_thigh_swelling": True, **onset}, age=60)
        assert "suspected_dvt" in {f.id for f in result.red_flags}
    # A burst knee (Baker's) cyst cannot be told from a clot without an ultrasound, even
    # after a sudden onset.
    knee = {"calf_or_thigh_swelling": True, "knee_swelling": True, "sudden_onset": True}
    result = run(prepared, knee, age=55)
    assert "suspected_dvt" in {f.id for f in result.red_flags}
    assert result.triage.level == "urgent"


def test_a_pop_from_forty_is_a_possible_avulsion(prepared: Prepared) -> None:
    skier = {"activities": frozenset({"water_skiing"})}
    assert "suspected_avulsion" in {
        f.id for f in run(prepared, {"pop_at_onset": True}, age=45, **skier).red_flags
    }
    younger = run(prepared, {"pop_at_onset": True, "sudden_onset": True}, age=30, **skier)
    assert not younger.red_flags
    # From 40, bruising after a sudden injury is enough, wherever it hurts.
    bruised = {"sudden_onset": True, "bruising_back_of_thigh": True, "pain_mid_thigh": True}
    assert "suspected_avulsion" in {f.id for f in run(prepared, bruised, age=40).red_flags}
    assert not run(prepared, bruised, age=39).red_flags


def test_a_lump_after_a_sudden_injury_is_a_possible_avulsion(prepared: Prepared) -> None:
    # A water-skier's stretch injury with a lump: the torn muscle balled up.
    findings = {"sudden_onset": True, "onset_during_stretch": True, "palpable_mass": True}
    result = run(prepared, findings, age=35, activities=frozenset({"water_skiing"}))
    assert "suspected_avulsion" in {f.id for f in result.red_flags}
    # From 40, bruising of unknown onset brings the onset question forward: right after
    # the screens for the more urgent flags a bruise calls for.
    screens = ["saddle_numbness", "bladder_or_bowel_change", "tense_swollen_thigh"]
    screens += ["high_energy_trauma", "unable_to_bear_weight"]
    bruised = {"bruising_back_of_thigh": True, **dict.fromkeys(screens, False)}
    assert run(prepared, bruised, age=45).next_questions[0].finding == "sudden_onset"


def test_nothing_reported_present_means_no_exercise_yet(prepared: Prepared) -> None:
    # A "no" to a screen points to no source: no loading on its strength.
    result = run(prepared, {"saddle_numbness": False}, age=30, duration_weeks=1)
    assert not [r for r in result.recommendations if r.kind == "exercise"]


def test_a_positive_slump_with_a_likely_spinal_source_is_at_least_soon(
    prepared: Prepared,
) -> None:
    back = {"low_back_pain": True, "pain_changes_with_back_movement": True}
    assert run(prepared, back, age=52).triage.level == "self_care"
    result = run(prepared, {**back, "slump_positive": True}, age=52, respondent="clinician")
    assert result.triage.level == "soon"


def test_a_runner_is_asked_to_hop_after_the_history_unless_the_pain_began_suddenly(
    prepared: Prepared,
) -> None:
    runner = {"age": 30, "activities": frozenset({"running"})}
    screens = dict(SCREENED)
    # The history that tells the sources apart comes first; the hop right after it.
    early = run(prepared, screens, **runner)
    assert "pain_on_hopping" not in [q.finding for q in early.next_questions]
    gradual = run(prepared, _after_the_core(prepared, pain_mid_thigh=True), **runner)
    assert gradual.next_questions[0].finding == "pain_on_hopping"
    assert gradual.next_questions[0].reason == "red_flag_screen"
    # Not a runner: the hop waits for the safety checklist.
    walker = run(prepared, _after_the_core(prepared, pain_mid_thigh=True), age=30)
    assert walker.next_questions[0].finding != "pain_on_hopping"
    # After a sudden injury hopping is never asked, however long the interview runs.
    answers: dict[str, bool | None] = {**screens, "sudden_onset": True}
    while questions := run(prepared, answers, **runner).next_questions:
        assert questions[0].finding != "pain_on_hopping"
        answers[questions[0].finding] = None
    # Hop pain after a sudden sprint injury is the strain's, not a stress fracture.
    sprint = {"sudden_onset": True, "onset_during_sprint": True, "pain_on_hopping": True}
    assert not run(prepared, sprint, **runner).red_flags


def test_over_50_a_history_of_cancer_is_asked_at_once_when_the_spine_is_in_play(
    prepared: Prepared,
) -> None:
    screens = dict(SCREENED)
    # Back pain or a root's symptoms in an older person: metastases present this way.
    for root in ("low_back_pain", "pain_below_knee", "numbness_or_tingling"):
        older = run(prepared, {**screens, root: True}, age=63)
        # (after any more urgent flag's screen: both legs, with back pain)
        brought = [q.finding for q in older.next_questions if q.reason == "red_flag_screen"]
        assert "history_of_cancer" in brought, root
        younger = run(prepared, {**screens, root: True}, age=45)
        assert "history_of_cancer" not in [q.finding for q in younger.next_questions], root
    # Otherwise it waits for the core history, then comes before any other screen.
    quiet = run(prepared, screens, age=63)
    assert "history_of_cancer" not in [q.finding for q in quiet.next_questions]
    after = run(prepared, _after_the_core(prepared, pain_mid_thigh=True), age=63)
    assert after.next_questions[0].finding == "history_of_cancer"


def test_a_long_interview_still_screens_for_a_fracture_and_a_cold_leg(
    prepared: Prepared,
) -> None:
    policy = prepared.kb.policy.interview
    must = list(policy.must_ask_screens)
    # A history rich in "yes" answers, each followed up: the core is still being taken.
    answers: dict[str, bool | None] = {
        "saddle_numbness": False,
        "bladder_or_bowel_change": False,
        "deep_buttock_pain": True,
        "numbness_or_tingling": True,
        "pain_below_knee": True,
    }
    while len(answers) < policy.must_ask_within:
        result = run(prepared, answers, age=46, respondent="clinician")
        asked = result.next_questions[0].finding
        answers[asked] = None
        if set(must) <= set(answers):
            break
    assert set(must) <= set(answers), answers
    # ... and not before they are needed to fit: early on the history comes first.
    screened = dict(SCREENED)
    early = run(prepared, screened, age=46, respondent="clinician")
    assert not set(must) & {q.finding for q in early.next_questions}


def test_at_18_or_younger_a_sudden_injury_asks_where_it_hurts_at_once(
    prepared: Prepared,
) -> None:
    screens = dict(SCREENED)
    young = run(prepared, {**screens, "sudden_onset": True}, age=17)
    assert young.triage.level == "urgent"
    assert {"pain_at_sit_bone", "pain_mid_thigh"} <= {q.finding for q in young.next_questions}
    # A mid-thigh strain clears the growth-plate flag; the sit bone keeps it.
    strain = {**screens, "sudden_onset": True, "pain_mid_thigh": True, "pain_at_sit_bone": False}
    assert not run(prepared, strain, age=17).red_flags
    bone = {**strain, "pain_at_sit_bone": True}
    assert "suspected_avulsion" in {f.id for f in run(prepared, bone, age=17).red_flags}


def test_a_pop_brings_the_tense_thigh_screen_forward(prepared: Prepared) -> None:
    screens = dict(SCREENED)
    pop = run(prepared, {**screens, "sudden_onset": True, "pop_at_onset": True}, age=29)
    assert "tense_swollen_thigh" in [q.finding for q in pop.next_questions]


def test_from_50_the_interview_asks_about_claudication_after_the_history(
    prepared: Prepared,
) -> None:
    claudication = "pain_with_walking_relieved_by_rest_within_minutes"
    buttock = _after_the_core(prepared, deep_buttock_pain=True, pain_mid_thigh=True)
    older = [q.finding for q in run(prepared, buttock, age=60).next_questions]
    assert claudication in older
    younger = [q.finding for q in run(prepared, buttock, age=35).next_questions]
    assert claudication not in younger


def test_pain_away_from_the_sit_bone_and_mid_thigh_asks_about_the_knee(
    prepared: Prepared,
) -> None:
    elsewhere = run(prepared, _after_the_core(prepared), age=45)
    # (ranked by gain, both before the checklist)
    assert {q.finding for q in elsewhere.next_questions[:2]} == {"knee_swelling", "groin_pain"}
    mid_thigh = run(prepared, _after_the_core(prepared, pain_mid_thigh=True), age=45)
    assert "knee_swelling" not in [q.finding for q in mid_thigh.next_questions]
    buttock = run(prepared, _after_the_core(prepared, deep_buttock_pain=True), age=45)
    assert "knee_swelling" not in [q.finding for q in buttock.next_questions]
    # A swollen leg asks about the knee before the other clot risks.
    swollen = dict(SCREENED)
    swollen |= {"calf_or_thigh_swelling": True}
    asked = [q.finding for q in run(prepared, swollen, age=45).next_questions]
    assert asked.index("knee_swelling") < asked.index("recent_immobilization")


def test_deep_buttock_pain_on_sitting_asks_about_a_lump_after_the_history(
    prepared: Prepared,
) -> None:
    # A mass on the sciatic nerve is one cause of deep gluteal pain on sitting.
    both = _after_the_core(prepared, deep_buttock_pain=True, pain_with_sitting=True)
    asked = [q.finding for q in run(prepared, both, age=27).next_questions]
    assert "palpable_mass" in asked[:2]
    one = _after_the_core(prepared, deep_buttock_pain=True)
    asked = [q.finding for q in run(prepared, one, age=27).next_questions]
    assert "palpable_mass" not in asked


def test_specialist_and_nerve_advice_need_their_grounds(prepared: Prepared) -> None:
    # Internal pelvic-floor release only once the obturator internus is likely.
    sitting = {"pain_with_sitting": True, "deep_buttock_pain": True, "relief_on_standing": True}
    possible = run(prepared, sitting, age=35, sex="female")
    internus = next(s for s in possible.sources if s.id == "obturator_internus")
    assert internus.band == "possible"
    assert "obturator_internus_manual_release" not in ids(possible)
    pelvic = run(prepared, {**sitting, "pelvic_floor_symptoms": True}, age=35, sex="female")
    assert "obturator_internus_manual_release" in ids(pelvic)
    # Nerve sliders only with a sign that a nerve is involved.
    back = {"low_back_pain": True, "pain_changes_with_back_movement": True}
    assert "sciatic_nerve_slider" not in ids(run(prepared, back, age=40))
    tingling = run(prepared, {**back, "numbness_or_tingling": True}, age=40)
    assert "sciatic_nerve_slider" in ids(tingling)


def test_a_likely_hamstring_problem_says_when_neither_source_is_clear(prepared: Prepared) -> None:
    # Strain and tendinopathy each possible, together more likely than not.
    result = run(
        prepared, {"pain_bending_forward": True}, age=30, activities=frozenset({"running"})
    )
    bands = {s.id: s.band for s in result.sources}
    assert bands["hamstring_strain"] != "likely"
    assert bands["proximal_hamstring_tendinopathy"] != "likely"
    check = result.hamstring_check
    assert check.verdict == "likely_hamstring"
    assert "neither a strain nor a tendinopathy is clear" in check.explanation


def test_in_a_list_what_is_present_comes_before_what_is_absent(prepared: Prepared) -> None:
    # "the absence of A, B and C" reads as if B and C were absent too.
    answers = {"pain_at_sit_bone": False, "numbness_or_tingling": True, "slump_positive": True}
    result = run(prepared, answers, respondent="clinician")
    text = result.rationales["proximal_hamstring_tendinopathy"]
    absent = text.find("the absence of pain at the sit bone")
    present = text.find("numbness or tingling in the leg")
    assert -1 < present < absent, text
