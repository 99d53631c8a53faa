"""Next questions: relevant red-flag screens first, then expected information gain.

Each source is its own yes/no model, so a finding's gain is the sum over sources of
the expected drop in that source's binary entropy, each computed with the source's own
predictive probability of the finding, q = p*Se + (1 - p)*(1 - Sp). That expected drop
is the mutual information of finding and source, computed here in its cheaper form
H(q) - p*H(Se) - (1 - p)*H(Sp), with H(Se) and H(Sp) tabulated once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace

from app.engine.clauses import holds
from app.engine.gain_tables import binary_entropy
from app.engine.prepared import Prepared
from app.engine.rules import RuleIndex, holding
from app.engine.types import Case, Question, SourceScore


def information_gain(finding: str, probabilities: list[float], prepared: Prepared) -> float:
    """Expected reduction in total uncertainty (bits) over the sources from asking `finding`."""
    gain = 0.0
    log2 = math.log2
    tests = prepared.tests
    for index, sensitivity, false_positive_rate, h_sensitivity, h_specificity in tests.get(
        finding, ()
    ):
        p = probabilities[index]
        q = p * sensitivity + (1.0 - p) * false_positive_rate
        # binary_entropy(q), inlined: this runs for every candidate on every call.
        entropy = -(q * log2(q) + (1.0 - q) * log2(1.0 - q)) if 0.0 < q < 1.0 else 0.0
        gain += entropy - p * h_sensitivity - (1.0 - p) * h_specificity
    # Rounding can leave a tiny negative value where the true gain is zero.
    return max(gain, 0.0)


def _brought_screens(
    rules: RuleIndex[tuple[str, ...]], case: Case, present: list[str], exclude: Iterable[str] = ()
) -> list[str]:
    """The unasked screens that the holding rules of `rules` bring forward, in rule order."""
    findings = case.findings
    chosen: list[str] = []
    skip = set(exclude)
    for rule in holding(rules, case, present):
        chosen.extend(
            f for f in rule.then if f not in findings and f not in skip and f not in chosen
        )
    return chosen


def _completing_findings(case: Case, present: list[str], prepared: Prepared) -> list[str]:
    """Unasked findings that, answered yes, would raise a red flag not yet raised.

    In an emergency these are the only questions still worth asking besides the screens:
    a second flag changes what the emergency team looks for (a compartment syndrome that
    is also a torn tendon), the history of the pain does not.
    """
    findings = case.findings
    triggers = prepared.flag_triggers
    raised = {rule.then for rule in holding(triggers, case, present)}
    rules = sorted(
        [*triggers.always, *(rule for filed in triggers.anchored.values() for rule in filed)],
        key=lambda rule: rule.order,
    )
    answerable = prepared.patient_answerable
    completing: list[str] = []
    for rule in rules:
        if rule.then in raised:
            continue
        missing = [f for f in rule.clause.findings if findings.get(f) is not True]
        if len(missing) != 1 or missing[0] in findings or missing[0] in completing:
            continue
        if case.respondent == "patient" and missing[0] not in answerable:
            continue
        if holds(rule.clause, replace(case, findings={**findings, missing[0]: True})):
            completing.append(missing[0])
    return completing


def _gain_ranked(
    findings: list[str], probabilities: list[float], prepared: Prepared
) -> list[Question]:
    questions = [
        Question(f, information_gain(f, probabilities, prepared), "information_gain")
        for f in findings
    ]
    questions.sort(key=lambda q: (-q.information_gain, q.finding))
    return questions


def _unranked(
    screens: list[str], probabilities: list[float], prepared: Prepared, room: int
) -> list[Question]:
    return [
        Question(f, information_gain(f, probabilities, prepared), "red_flag_screen")
        for f in screens[:room]
    ]


def contenders(probabilities: list[float], prepared: Prepared) -> list[tuple[int, float]]:
    """The sources still in contention, as (index, weight) with weights summing to one.

    Those at least "possible", or all sources when fewer than two are, weighted by their
    probabilities as if exactly one of them were the cause.
    """
    threshold = prepared.kb.policy.possible_threshold
    chosen = [i for i, p in enumerate(probabilities) if p >= threshold]
    if len(chosen) < 2:
        chosen = list(range(len(probabilities)))
    total = sum(probabilities[i] for i in chosen)
    if total <= 0.0:
        return [(i, 1.0 / len(chosen)) for i in chosen]
    return [(i, probabilities[i] / total) for i in chosen]


def differential_gain(finding: str, weighted: list[tuple[int, float]], prepared: Prepared) -> float:
    """Information (bits) that `finding` gives about which of the contenders is the cause.

    The mutual information of the answer and the contender, H(q) - sum w_i H(l_i), where
    l_i is the chance of a "yes" under contender i and q = sum w_i l_i. Unlike
    information_gain it favours a question that separates the sources in contention even
    when one of them is not yet probable (obturator internus against a tendinopathy,
    after sitting and deep buttock pain).
    """
    chances = prepared.answer_chances.get(finding)
    if chances is None:
        return 0.0
    q = 0.0
    conditional = 0.0
    for index, weight in weighted:
        chance, entropy = chances[index]
        q += weight * chance
        conditional += weight * entropy
    return max(binary_entropy(q) - conditional, 0.0)


def _best_follow_up(findings: list[str], probabilities: list[float], prepared: Prepared) -> str:
    """The question that best separates the sources still in contention (ties by id)."""
    weighted = contenders(probabilities, prepared)
    return max(findings, key=lambda f: (differential_gain(f, weighted, prepared), f))


def _follow_ups_due(case: Case, prepared: Prepared) -> bool:
    """Whether a positive core answer still awaits its follow-up question.

    Each "yes" in the core history earns questions from outside the core, asked at
    once, as a clinician would follow up before moving on: one for a patient, two when a
    clinician answers and can examine (the policy's follow_ups_per_positive). Findings
    the client sent outside the core count as follow-ups already made.
    """
    policy = prepared.kb.policy.interview
    core = policy.core_history
    screens = prepared.screens
    positives = sum(1 for f in core if case.findings.get(f) is True)
    made = sum(1 for f in case.findings if f not in core and f not in screens)
    return made < positives * policy.follow_ups_per_positive[case.respondent]


def moot_findings(case: Case, prepared: Prepared) -> list[str]:
    """The questions an answer (or the request's sex) makes meaningless or unsafe to ask."""
    findings = case.findings
    moot = [f for f, other, answer in prepared.moot_when if findings.get(other) is answer]
    if case.sex is not None:
        moot.extend(f for f, sex in prepared.moot_for_sex if sex == case.sex)
    return moot


def next_questions(
    case: Case, scores: tuple[SourceScore, ...], prepared: Prepared, screens_only: bool = False
) -> tuple[Question, ...]:
    """Rank the unanswered findings worth asking next (a finding sent as null counts as asked).

    Order: screens the presentation makes relevant; the policy's initial screens (the
    cauda equina pair), and the must-ask screens once they would otherwise not fit
    within the policy's number of answers; the core history (onset, site, radiation,
    nerve symptoms, sitting), most informative first, each positive answer followed at
    once by the question outside the core that best separates the sources still in
    contention (differential_gain); once the core is answered, the screens that age or
    sport bring up (the red flags' ask_after_core), what the policy asks after the core
    (a sudden injury's mechanism, what points outside the posterior thigh), then the
    other general screens, most dangerous misses first, so the interview covers every
    red flag; the other findings the respondent can answer, by information gain; then
    the rest.
    With `screens_only` (an emergency: the history no longer changes what to do) only
    what could raise another red flag is asked, most urgent flag first.
    """
    kb = prepared.kb
    policy = kb.policy.interview
    probabilities = [0.0] * len(prepared.sources)
    index = prepared.source_index
    for score in scores:
        probabilities[index[score.id]] = score.probability

    findings = case.findings
    # A question an earlier answer made meaningless (or unsafe to ask) counts as asked, in
    # every tier below, the screens and an emergency's questions included.
    moot = moot_findings(case, prepared)
    asked: Mapping[str, bool | None] = {**findings, **dict.fromkeys(moot)} if moot else findings
    # follow-ups are counted from what was really asked
    sent = case
    if moot:
        case = replace(case, findings=asked)
    core = [f for f in policy.core_history if f not in asked]
    # findings answered true: the rules below can only hold through them
    present = [f for f, answer in asked.items() if answer is True]
    relevant = _brought_screens(prepared.ask_first, case, present)
    general = [f for f in policy.general_screen_order if f not in asked and f not in relevant]
    limit = kb.policy.max_next_questions
    if screens_only:
        # Only what could raise another flag, most urgent flag first: a person on the way
        # to an emergency department is not asked about long journeys.
        completing = _completing_findings(case, present, prepared)
        return tuple(_unranked(completing, probabilities, prepared, limit))
    if core:
        # Until the core history is answered only the initial screens are due, and, once
        # the interview has run long (many positive answers, each followed up), the
        # screens that must be asked within the first answers.
        due_now = set(policy.general_screen_order[: policy.initial_screens])
        unasked = [f for f in policy.must_ask_screens if f not in asked]
        if len(sent.findings) + len(unasked) >= policy.must_ask_within:
            due_now.update(unasked)
        due = [f for f in general if f in due_now]
    else:
        due = general
    later = [f for f in general if f not in due]
    # A history question a rule brought forward (how the pain started, for a runner)
    # is asked there, not again in its own tier.
    brought_forward = set(relevant)
    ahead = brought_forward.union(core)
    rest = [f for f in prepared.informative_order if f not in asked and f not in ahead]
    # A patient cannot perform examination tests: those wait until last.
    if case.respondent == "clinician":
        answerable, examination = rest, []
    else:
        patient = prepared.patient_answerable
        answerable = [f for f in rest if f in patient]
        examination = [f for f in rest if f not in patient]
    ordered = _unranked(relevant, probabilities, prepared, limit)
    if not core:
        # The core is answered: the screens that age or sport make worth asking, then what
        # the history makes worth asking, come before the checklist.
        screens = _brought_screens(prepared.screens_after_core, case, present, relevant)
        ordered += _unranked(screens, probabilities, prepared, limit - len(ordered))
        follow = _brought_screens(prepared.after_core, case, present, [*relevant, *screens])
        ordered += _gain_ranked(follow, probabilities, prepared)[: limit - len(ordered)]
        taken = {*screens, *follow}
        due = [f for f in due if f not in taken]
        later = [f for f in later if f not in taken]
        answerable = [f for f in answerable if f not in taken]
        examination = [f for f in examination if f not in taken]
    ordered += _unranked(due, probabilities, prepared, limit - len(ordered))
    if len(ordered) < limit:
        if core and answerable and _follow_ups_due(sent, prepared):
            best = _best_follow_up(answerable, probabilities, prepared)
            ordered.append(
                Question(best, information_gain(best, probabilities, prepared), "information_gain")
            )
            answerable = [f for f in answerable if f != best]
        remaining_core = [f for f in core if f not in brought_forward]
        ordered += _gain_ranked(remaining_core, probabilities, prepared)
        # Gains are computed only for the tiers that reach the answer: most calls never
        # need to rank the long tail.
        if len(ordered) < limit:
            ordered += _gain_ranked(answerable, probabilities, prepared)
    if len(ordered) < limit:
        ordered += _unranked(later, probabilities, prepared, limit - len(ordered))
    if len(ordered) < limit:
        ordered += _gain_ranked(examination, probabilities, prepared)
    return tuple(ordered[:limit])
