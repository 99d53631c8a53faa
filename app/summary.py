"""A plain-text reading of a /v1/triage response, for people at a terminal.

It reads the wire document (TriageResponse) rather than the engine's values, so the
text can never say something the JSON does not.
"""

from __future__ import annotations

import textwrap

from app.api.response_schemas import DosageOut, TriageResponse

WIDTH = 88
TOP_SOURCES = 3


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _dosage(dosage: DosageOut) -> str:
    hold = f", hold {dosage.hold_seconds} s" if dosage.hold_seconds else ""
    return (
        f"{_count(dosage.sets, 'set')} of {dosage.reps}{hold}, "
        f"{_count(dosage.sessions_per_week, 'session')} a week"
    )


def _triage(response: TriageResponse) -> list[str]:
    lines = [f"Triage: {response.triage.level.upper().replace('_', ' ')}"]
    lines += _wrap(response.triage.advice)
    for reason in response.triage.reasons:
        lines += _wrap(reason, indent="    ", first="  - ")
    return lines


def _red_flags(response: TriageResponse) -> list[str]:
    if not response.red_flags:
        return ["Red flags: none raised by the answers given."]
    lines = ["Red flags:"]
    for flag in response.red_flags:
        lines += _wrap(f"{flag.name} ({flag.level}): {flag.action}", indent="    ", first="  ! ")
        lines += _wrap(f"triggered by: {', '.join(flag.triggered_by)}", indent="    ")
    return lines


def _hamstring(response: TriageResponse) -> list[str]:
    check = response.hamstring_check
    verdict = check.verdict.replace("_", " ")
    lines = [f"Is it really the hamstring? {verdict} ({check.probability:.0%})"]
    lines += _wrap(check.explanation)
    if check.better_fit:
        lines.append(f"  better fit: {check.better_fit}")
    strain = response.hamstring_strain
    if strain is not None:
        weeks = strain.expected_recovery_weeks
        lines += _wrap(
            f"Strain onset: {strain.onset_type}; expected recovery {weeks.low:g}-{weeks.high:g} "
            f"weeks. {weeks.note}"
        )
    return lines


def _coverage(response: TriageResponse) -> list[str]:
    if response.coverage.in_scope:
        return []
    return ["Outside what this service assesses:", *_wrap(response.coverage.note)]


def _sources(response: TriageResponse) -> list[str]:
    lines = ["Most likely sources:"]
    for rank, source in enumerate(response.sources[:TOP_SOURCES], start=1):
        lines.append(f"  {rank}. {source.name}: {source.probability:.0%} ({source.band})")
        lines += _wrap(source.rationale, indent="     ")
    return lines


def _recommendations(response: TriageResponse) -> list[str]:
    if not response.recommendations:
        return ["Recommendations: none; follow the triage advice above."]
    lines = ["Recommendations:"]
    for item in response.recommendations:
        dose = f" [{_dosage(item.dosage)}]" if item.dosage else ""
        lines += _wrap(f"{item.name}{dose}", indent="    ", first="  - ")
    return lines


def _next_questions(response: TriageResponse) -> list[str]:
    if not response.next_questions:
        return ["Next questions: none left that would change the picture."]
    lines = ["Next questions:"]
    for question in response.next_questions:
        lines += _wrap(f"{question.question} ({question.finding})", indent="    ", first="  ? ")
    return lines


def summarise(response: TriageResponse) -> str:
    """Render the assessment as sections of wrapped plain text."""
    sections = [
        _triage(response),
        _coverage(response),
        _red_flags(response),
        _hamstring(response),
        _sources(response),
        _recommendations(response),
        _next_questions(response),
        _wrap(
            f"{response.meta.disclaimer} (knowledge base {response.meta.knowledge_base_version}, "
            f"engine {response.meta.engine_version})",
            indent="",
        ),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"
