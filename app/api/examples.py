"""Realistic request examples shown in the OpenAPI document and Swagger UI."""

from __future__ import annotations

from typing import Any

TRIAGE_EXAMPLES: dict[str, dict[str, Any]] = {
    "acute_sprint_strain": {
        "summary": "Acute sprint-type hamstring strain (footballer)",
        "description": (
            "Sudden pain mid-thigh while sprinting two days ago; no back or nerve symptoms."
        ),
        "value": {
            "age": 24,
            "sex": "male",
            "activities": ["soccer", "sprinting"],
            "duration_weeks": 0.3,
            "findings": {
                "sudden_onset": True,
                "pop_at_onset": False,
                "pain_mid_thigh": True,
                "onset_during_sprint": True,
                "pain_fast_running": True,
                "pain_straightening_or_bending_knee": True,
                "low_back_pain": False,
                "numbness_or_tingling": False,
                "saddle_numbness": False,
                "bladder_or_bowel_change": False,
            },
        },
    },
    "sitting_pain": {
        "summary": "Sitting pain treated as a hamstring problem for months",
        "description": (
            "A runner and yogi whose deep buttock pain comes on with sitting and eases on standing."
        ),
        "value": {
            "age": 34,
            "sex": "female",
            "activities": ["running", "yoga"],
            "duration_weeks": 10,
            "findings": {
                "pain_with_sitting": True,
                "relief_on_standing": True,
                "deep_buttock_pain": True,
                "pelvic_floor_symptoms": True,
                "treated_as_hamstring_without_improvement": True,
                "pain_running_uphill": False,
                "sudden_onset": False,
                "low_back_pain": False,
                "saddle_numbness": False,
                "bladder_or_bowel_change": False,
            },
        },
    },
    "neural_tension": {
        "summary": "Sciatic neural tension (clinician examining)",
        "description": (
            "Burning posterior thigh pain after a hamstring injury; slump and "
            "piriformis tests positive."
        ),
        "value": {
            "age": 29,
            "sex": "male",
            "activities": ["running"],
            "duration_weeks": 8,
            "respondent": "clinician",
            "findings": {
                "deep_buttock_pain": True,
                "burning_or_electric_pain": True,
                "pain_with_sitting": True,
                "previous_hamstring_injury": True,
                "low_back_pain": False,
                "slump_positive": True,
                "seated_piriformis_test_positive": True,
                "active_piriformis_test_positive": True,
                "hamstring_tenderness": False,
                "saddle_numbness": False,
                "bladder_or_bowel_change": False,
            },
        },
    },
    "cauda_equina": {
        "summary": "Cauda equina red flags",
        "description": (
            "Back and bilateral leg pain with saddle numbness: an emergency whatever the scores."
        ),
        "value": {
            "age": 46,
            "sex": "female",
            "duration_weeks": 1,
            "findings": {
                "low_back_pain": True,
                "bilateral_leg_symptoms": True,
                "saddle_numbness": True,
                "bladder_or_bowel_change": None,
            },
        },
    },
    "lumbar_thought_hamstring": {
        "summary": "Lumbar referral the patient thought was a hamstring strain",
        "description": (
            "Months of 'hamstring' rehab without help; the thigh pain changes with back "
            "movement and travels below the knee."
        ),
        "value": {
            "age": 44,
            "sex": "male",
            "activities": ["running"],
            "duration_weeks": 14,
            "findings": {
                "treated_as_hamstring_without_improvement": True,
                "sudden_onset": False,
                "low_back_pain": True,
                "pain_changes_with_back_movement": True,
                "pain_below_knee": True,
                "pain_with_sitting": True,
                "pain_fast_running": False,
                "saddle_numbness": False,
                "bladder_or_bowel_change": False,
            },
        },
    },
    "knee_out_of_scope": {
        "summary": "Knee swelling: outside what the service assesses",
        "description": "Pain behind the knee with a swollen knee joint: coverage says so.",
        "value": {
            "age": 52,
            "sex": "female",
            "activities": ["running"],
            "duration_weeks": 3,
            "findings": {
                "knee_swelling": True,
                "pain_walking": True,
                "sudden_onset": False,
                "saddle_numbness": False,
                "bladder_or_bowel_change": False,
            },
        },
    },
    "first_call": {
        "summary": "Start of an interview: nothing answered yet",
        "description": "An app's first call: the response's next_questions drive the interview.",
        "value": {"age": 41, "sex": "female", "activities": ["running"], "findings": {}},
    },
}
