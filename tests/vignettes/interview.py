"""The interview benchmark: does following our own next questions find the source fast?

For every vignette, start from age, sex and activities only; ask the first suggested
question, answer it from the vignette (null where the vignette is silent), and repeat.
`python -m tests.vignettes.interview` prints the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from app.engine import Assessment, Case, Prepared, assess, prepare
from app.knowledge.load import default_knowledge_base
from tests.vignettes import CASES_FILE, VIGNETTE_FILES, Vignette, load_vignettes


@dataclass(frozen=True)
class Transcript:
    """The assessments after 0, 1, 2, ... answers, and the questions asked."""

    vignette: Vignette
    questions: tuple[str, ...]
    assessments: tuple[Assessment, ...]

    def after(self, answers: int) -> Assessment:
        return self.assessments[min(answers, len(self.assessments) - 1)]

    def flags_raised_within(self, answers: int) -> frozenset[str]:
        raised: set[str] = set()
        for assessment in self.assessments[: answers + 1]:
            raised.update(f.id for f in assessment.red_flags)
        return frozenset(raised)


def interview(vignette: Vignette, prepared: Prepared, max_answers: int = 20) -> Transcript:
    """Run the adaptive interview for one vignette."""
    truth = vignette.case.findings
    case = Case(
        age=vignette.case.age,
        sex=vignette.case.sex,
        activities=vignette.case.activities,
        respondent=vignette.case.respondent,
    )
    answers: dict[str, bool | None] = {}
    questions: list[str] = []
    assessments = [assess(case, prepared)]
    for _ in range(max_answers):
        asked = assessments[-1].next_questions
        if not asked:
            break
        finding = asked[0].finding
        questions.append(finding)
        answers[finding] = truth.get(finding)
        case = replace(case, findings=MappingProxyType(dict(answers)))
        assessments.append(assess(case, prepared))
    return Transcript(vignette, tuple(questions), tuple(assessments))


def _top(assessment: Assessment, vignette: Vignette, k: int) -> bool:
    ranking = [s.id for s in assessment.sources]
    if k == 1:
        return ranking[0] in vignette.expected_sources
    return vignette.expected_sources[0] in ranking[:k]


def benchmark(prepared: Prepared, path: Path = CASES_FILE) -> dict[str, float]:
    """Top-1/top-3 after 5 and 10 answers, the all-findings ceiling, flags within 20."""
    return _figures(load_vignettes(path), prepared)


def suite_benchmark(prepared: Prepared) -> dict[str, float]:
    """The same figures over the whole vignette suite: every file's cases pooled."""
    return _figures([v for path in VIGNETTE_FILES for v in load_vignettes(path)], prepared)


def _figures(vignettes: list[Vignette], prepared: Prepared) -> dict[str, float]:
    transcripts = [interview(v, prepared) for v in vignettes]
    scored = [t for t in transcripts if t.vignette.expected_sources]
    ceiling = [assess(t.vignette.case, prepared) for t in scored]
    result: dict[str, float] = {"cases": len(transcripts)}
    for k in (1, 3):
        for answers in (5, 10):
            hits = sum(_top(t.after(answers), t.vignette, k) for t in scored)
            result[f"top{k}_after_{answers}"] = hits / len(scored)
        hits = sum(_top(a, t.vignette, k) for a, t in zip(ceiling, scored, strict=True))
        result[f"top{k}_ceiling"] = hits / len(scored)
    flags = prepared.kb.red_flags
    result["red_flags_within_20"] = _share_raised_within(20, transcripts, lambda f: True)
    result["emergency_flags_within_20"] = _share_raised_within(
        20, transcripts, lambda f: flags[f].level == "emergency"
    )
    return result


def _share_raised_within(
    answers: int, transcripts: list[Transcript], counted: Callable[[str], bool]
) -> float:
    """The share of the expected red flags that `counted` keeps raised within `answers`."""
    expected = caught = 0
    for transcript in transcripts:
        wanted = {f for f in transcript.vignette.expected_red_flags if counted(f)}
        expected += len(wanted)
        caught += len(wanted & transcript.flags_raised_within(answers))
    return caught / expected if expected else 1.0


def bare_trigger_vignettes(prepared: Prepared) -> list[Vignette]:
    """One bare presentation per red-flag trigger rule: only what the rule names is known.

    The rule's findings are present, its absent findings absent, its age and activities
    (if any) given; every other question is answered `null`. Real presentations carry
    more context, so this is the hardest case for the interview's red-flag screening.
    """
    vignettes = []
    for flag in prepared.kb.red_flags.values():
        for number, clause in enumerate(flag.triggers):
            age = clause.age_min if clause.age_min is not None else clause.age_max
            case = Case(
                findings=MappingProxyType(
                    dict.fromkeys(clause.findings, True) | dict.fromkeys(clause.absent, False)
                ),
                age=40 if age is None else age,
                sex=clause.sex,
                activities=frozenset(sorted(clause.activities)[:1]),
            )
            vignettes.append(
                Vignette(
                    id=f"{flag.id}:{number}",
                    citation="a bare presentation of the trigger rule",
                    case=case,
                    expected_sources=(),
                    expected_red_flags=frozenset({flag.id}),
                    expected_level=flag.level,
                )
            )
    return vignettes


def bare_triggers_raised_within(prepared: Prepared, answers: int = 20) -> tuple[int, int]:
    """(raised within `answers`, all) over the bare presentations of the trigger rules."""
    vignettes = bare_trigger_vignettes(prepared)
    raised = sum(
        v.expected_red_flags <= interview(v, prepared, answers).flags_raised_within(answers)
        for v in vignettes
    )
    return raised, len(vignettes)


def out_of_scope_found_within(prepared: Prepared, answers: int = 20) -> tuple[int, int]:
    """(found within `answers`, all) over the out-of-scope vignettes of every set: does
    the interview ask what shows that the pain comes from outside the posterior thigh?"""
    vignettes = [
        v for path in VIGNETTE_FILES for v in load_vignettes(path) if not v.expected_in_scope
    ]
    found = sum(
        any(not a.coverage.in_scope for a in interview(v, prepared, answers).assessments)
        for v in vignettes
    )
    return found, len(vignettes)


def main() -> None:
    """Print the benchmark and, per vignette, the first five questions and any missed flag."""
    prepared = prepare(default_knowledge_base())
    for vignette in load_vignettes():
        transcript = interview(vignette, prepared)
        missed = vignette.expected_red_flags - transcript.flags_raised_within(20)
        first = ", ".join(transcript.questions[:5])
        note = f"  MISSED {sorted(missed)}" if missed else ""
        print(f"{vignette.id[:48]:48} {first}{note}")
    print()
    results = {path.stem: benchmark(prepared, path) for path in VIGNETTE_FILES}
    results["suite"] = suite_benchmark(prepared)
    print(f"{'':26}" + "".join(f"{name:>10}" for name in results))
    for key in results["cases"]:
        print(f"{key:26}" + "".join(f"{result[key]:10.3f}" for result in results.values()))
    raised, rules = bare_triggers_raised_within(prepared)
    print(f"bare trigger rules raised within 20 answers: {raised} of {rules}")
    found, outside = out_of_scope_found_within(prepared)
    print(f"out-of-scope cases found within 20 answers: {found} of {outside}")


if __name__ == "__main__":
    main()
