"""Knowledge-base rules (red-flag triggers, ask-first screens) indexed for quick matching.

A rule whose clause names findings can only hold when those findings are present, so
each such rule is filed under one of them; a case's present findings then pick out the
few rules worth evaluating, and only the rules that name no finding (an age, an
activity, nothing at all) are evaluated on every call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, NamedTuple, TypeVar

from app.engine.clauses import holds
from app.engine.types import Case
from app.knowledge.model import Clause, KnowledgeBase, RedFlag, severity

_T = TypeVar("_T")


class Rule(NamedTuple, Generic[_T]):
    """When `clause` holds, `then` applies; `order` is the rule's place among its kind."""

    order: int
    clause: Clause
    then: _T


@dataclass(frozen=True, slots=True)
class RuleIndex(Generic[_T]):
    """Rules filed under one finding their clause needs, and those that need none."""

    anchored: Mapping[str, tuple[Rule[_T], ...]]
    always: tuple[Rule[_T], ...]


def index_rules(rules: Iterable[Rule[_T]]) -> RuleIndex[_T]:
    """File each rule under one finding its clause needs (any one will do)."""
    anchored: dict[str, list[Rule[_T]]] = {}
    always: list[Rule[_T]] = []
    for rule in rules:
        if rule.clause.findings:
            anchored.setdefault(min(rule.clause.findings), []).append(rule)
        else:
            always.append(rule)
    return RuleIndex(MappingProxyType({f: tuple(v) for f, v in anchored.items()}), tuple(always))


def holding(index: RuleIndex[_T], case: Case, present: Iterable[str]) -> list[Rule[_T]]:
    """The rules of `index` that hold for `case`, in rule order.

    `present` lists the findings answered true: only the rules filed under them can hold.
    """
    held = [rule for rule in index.always if holds(rule.clause, case)]
    for finding in present:
        held.extend(rule for rule in index.anchored.get(finding, ()) if holds(rule.clause, case))
    held.sort(key=lambda rule: rule.order)
    return held


def flags_by_urgency(kb: KnowledgeBase) -> list[RedFlag]:
    """The red flags, most urgent first (knowledge-base order within a level)."""
    return sorted(kb.red_flags.values(), key=lambda flag: -severity(flag.level))


def trigger_rules(kb: KnowledgeBase) -> RuleIndex[int]:
    """Every red flag's trigger clauses; `then` is the flag's place in flags_by_urgency."""
    rules = (
        (position, clause)
        for position, flag in enumerate(flags_by_urgency(kb))
        for clause in flag.triggers
    )
    return index_rules(
        Rule(order, clause, position) for order, (position, clause) in enumerate(rules)
    )


def _flag_screen_rules(
    kb: KnowledgeBase, pick: Callable[[RedFlag], Iterable[tuple[Clause, tuple[str, ...]]]]
) -> RuleIndex[tuple[str, ...]]:
    rules = (rule for flag in flags_by_urgency(kb) for rule in pick(flag))
    return index_rules(
        Rule(order, clause, screens) for order, (clause, screens) in enumerate(rules)
    )


def ask_first_rules(kb: KnowledgeBase) -> RuleIndex[tuple[str, ...]]:
    """Every red flag's "ask first" clauses, most urgent flag first; `then` is the
    screens to bring forward."""
    return _flag_screen_rules(kb, lambda flag: flag.ask_first)


def screens_after_core_rules(kb: KnowledgeBase) -> RuleIndex[tuple[str, ...]]:
    """Every red flag's "ask after the core history" clauses, most urgent flag first;
    `then` is the screens to ask as soon as the core history is answered."""
    return _flag_screen_rules(kb, lambda flag: flag.ask_after_core)


def after_core_rules(kb: KnowledgeBase) -> RuleIndex[tuple[str, ...]]:
    """The interview's after-core clauses, in policy order; `then` is what to ask."""
    rules = kb.policy.interview.after_core
    return index_rules(Rule(order, when, ask) for order, (when, ask) in enumerate(rules))
