"""Print the vignette table: per case, then the summary."""

from __future__ import annotations

import sys
from pathlib import Path

from app.engine import prepare
from app.knowledge.load import default_knowledge_base
from tests.vignettes import CASES_FILE, evaluate, load_vignettes, summarize


def main() -> None:
    """Assess every vignette (of cases.toml, or the file given) and print the comparison."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CASES_FILE
    prepared = prepare(default_knowledge_base())
    outcomes = evaluate(load_vignettes(path), prepared)
    print(f"{'case':52} {'expected':34} {'top 3 (probability)':62} {'level':22} flags")
    for o in outcomes:
        top = ", ".join(f"{s.id}:{s.probability:.2f}" for s in o.assessment.sources[:3])
        mark = ("1" if o.top1 else "3" if o.top3 else "x") if o.scored else "-"
        mark += "" if o.informative or not o.scored else "*"
        level = f"{o.assessment.triage.level}/{o.vignette.expected_level}"
        missed = sorted(o.vignette.expected_red_flags - o.raised)
        extra = sorted(o.raised - o.vignette.expected_red_flags)
        flags = ("missed " + ",".join(missed) if missed else "") + (
            " extra " + ",".join(extra) if extra else ""
        )
        expected = "+".join(o.vignette.expected_sources)[:32]
        print(f"{o.vignette.id[:52]:52} {expected:32} {mark} {top:62} {level:22} {flags}")
    summary = summarize(outcomes, list(prepared.kb.red_flags))
    print("\n1 = top-1, 3 = primary source in top 3, x = missed, - = true cause outside the")
    print("sources (flags and level only), * = fewer than 3 findings (not informative)")
    print()
    for key, value in summary.items():
        print(f"{key:26} {value:.3f}" if isinstance(value, float) else f"{key:26} {value}")


if __name__ == "__main__":
    main()
