"""Hypothesis strategies for random but valid cases."""

from __future__ import annotations

from hypothesis import strategies as st

from app.engine import Case
from app.knowledge.load import default_knowledge_base

KB = default_knowledge_base()
FINDING_IDS = sorted(KB.findings)
SCREENS = sorted(f.id for f in KB.findings.values() if f.category == "red_flag_screen")

answers = st.dictionaries(
    st.sampled_from(FINDING_IDS), st.sampled_from([True, False, None]), max_size=40
)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    return Case(
        findings=draw(answers),
        age=draw(st.none() | st.integers(10, 100)),
        sex=draw(st.none() | st.sampled_from(KB.sexes)),
        activities=frozenset(draw(st.lists(st.sampled_from(KB.activities), max_size=3))),
        duration_weeks=draw(st.none() | st.floats(0, 520, allow_nan=False)),
        respondent=draw(st.sampled_from(["patient", "clinician"])),
    )


def with_answer(case: Case, finding: str, answer: bool | None) -> Case:
    """A copy of `case` with one more answer."""
    return Case(
        findings={**case.findings, finding: answer},
        age=case.age,
        sex=case.sex,
        activities=case.activities,
        duration_weeks=case.duration_weeks,
        respondent=case.respondent,
    )
