"""Next questions: relevant red-flag screens first, then expected information gain.

Each source is its own yes/no model, so a finding's gain is the sum over sources of
the expected drop in that source's binary entropy, each computed with the source's own
predictive probability of the finding, p*Se + (1 - p)*(1 - Sp).
"""

from __future__ import annotations

import math

from app.engine.clauses import holds
from app.engine.prepared import Prepared
from app.engine.types import Case, Question, SourceScore
from app.knowledge.model import severity


def _entropy(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1.0 - p) * math.log2(1.0 - p))


def information_gain(finding: str, probabilities: list[float], prepared: Prepared) -> float:
    """Expected reduction in total uncertainty (bits) over the sources from asking `finding`."""
    gain = 0.0
    for test in prepared.tests.get(finding, ()):
        p = probabilities[test.source_index]
        se, sp = test.sensitivity, test.specificity
        q = p * se + (1.0 - p) * (1.0 - sp)
        if q <= 0.0 or q >= 1.0:
            continue
        after = q * _entropy(p * se / q) + (1.0 - q) * _entropy(p * (1.0 - se) / (1.0 - q))
        gain += _entropy(p) - after
    return max(gain, 0.0)


def _relevant_screens(case: Case, prepared: Prepared) -> list[str]:
    kb = prepared.kb
    flags = sorted(kb.red_flags.values(), key=lambda f: -severity(f.level))
    relevant: list[str] = []
    for flag in flags:
        for clause, screens in flag.ask_first:
            if holds(clause, case):
                relevant.extend(f for f in screens if f not in case.findings and f not in relevant)
    return relevant


def next_questions(
    case: Case, scores: tuple[SourceScore, ...], prepared: Prepared
) -> tuple[Question, ...]:
    """Rank the unanswered findings worth asking next (a finding sent as null counts as asked).

    Order: screens the presentation makes relevant; general screens, interleaved at the
    policy's rate so the interview covers every red flag; the core history (onset, site,
    radiation, nerve symptoms, sitting), most informative first; then the other findings
    the respondent can answer, by information gain; then the rest.
    """
    kb = prepared.kb
    policy = kb.policy.interview
    probabilities = [0.0] * len(prepared.sources)
    index = {table.id: i for i, table in enumerate(prepared.sources)}
    for score in scores:
        probabilities[index[score.id]] = score.probability

    def question(finding: str, reason: str) -> Question:
        gain = information_gain(finding, probabilities, prepared)
        return Question(
            finding, gain, "red_flag_screen" if reason == "screen" else "information_gain"
        )

    asked_screens = sum(1 for f in case.findings if kb.findings[f].category == "red_flag_screen")
    asked_other = len(case.findings) - asked_screens
    budget = policy.initial_screens + asked_other // policy.information_questions_per_screen

    ordered: list[Question] = [question(f, "screen") for f in _relevant_screens(case, prepared)]
    chosen = {q.finding for q in ordered}
    general = [f for f in policy.general_screen_order if f not in case.findings and f not in chosen]
    due = max(budget - asked_screens - len(ordered), 0)
    ordered.extend(question(f, "screen") for f in general[:due])
    chosen.update(general[:due])

    candidates = [
        f
        for f, finding in kb.findings.items()
        if f not in case.findings and f not in chosen and finding.category != "red_flag_screen"
    ]
    core = set(policy.core_history)
    informative = sorted(
        (question(f, "information") for f in candidates),
        key=lambda q: (q.finding not in core, -q.information_gain, q.finding),
    )
    remaining_screens = [question(f, "screen") for f in general[due:]]
    if case.respondent == "clinician":
        ordered.extend(informative)
        ordered.extend(remaining_screens)
    else:
        # A patient cannot perform examination tests: those wait until last.
        ordered.extend(q for q in informative if kb.findings[q.finding].audience == "patient")
        ordered.extend(remaining_screens)
        ordered.extend(q for q in informative if kb.findings[q.finding].audience == "clinician")
    return tuple(ordered[: kb.policy.max_next_questions])
