"""The /v1 assessment document -> CDS Hooks cards.

A `critical` card for each emergency red flag, a `warning` card for each other red flag,
then one `info` card with the likely sources, the triage advice and the recommendations.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.api.cds_models import MAX_SUMMARY
from app.knowledge.model import KnowledgeBase, TriageLevel

SOURCE_LABEL = "thigh-triage"
TOPIC_SYSTEM = "urn:thigh-triage:card-topic"
SUMMARY_NAMES = 3

# Short enough to leave room in a summary for the source names.
LEVEL_SUMMARY: dict[TriageLevel, str] = {
    "emergency": "Emergency care now.",
    "urgent": "See a clinician within 24 hours.",
    "soon": "See a clinician within 1-2 weeks.",
    "self_care": "Self-care is reasonable for now.",
}


def shorten(text: str, limit: int = MAX_SUMMARY) -> str:
    """`text` cut at a word boundary to at most `limit` characters, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _short_name(name: str) -> str:
    # "Sciatic nerve (neural tension or deep gluteal entrapment)" -> "Sciatic nerve"
    return name.split(" (", 1)[0]


def _card(
    summary: str, detail: str, indicator: str, topic: str, links: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "summary": shorten(summary),
        "detail": detail,
        "indicator": indicator,
        "source": {"label": SOURCE_LABEL, "topic": {"system": TOPIC_SYSTEM, "code": topic}},
        "links": links,
    }


def _link(label: str, base_url: str, path: str) -> dict[str, str]:
    return {"label": label, "url": base_url.rstrip("/") + path, "type": "absolute"}


def _red_flag_card(flag: dict[str, Any], kb: KnowledgeBase, base_url: str) -> dict[str, Any]:
    first_sentence = flag["action"].split(". ", 1)[0].rstrip(".") + "."
    triggers = "\n".join(
        f"- {kb.findings[f].label}: {kb.findings[f].question}" for f in flag["triggered_by"]
    )
    detail = (
        f"**{flag['name']}** (at least `{flag['level']}`)\n\n{flag['action']}\n\n"
        f"Raised by:\n{triggers}"
    )
    return _card(
        f"{flag['name']}: {first_sentence}",
        detail,
        "critical" if flag["level"] == "emergency" else "warning",
        "red-flag",
        [_link("Red-flag catalogue", base_url, "/v1/red-flags")],
    )


def _names(sources: list[dict[str, Any]], band: str) -> str:
    # At most three names keep the summary one short sentence; the detail lists them all.
    names = [_short_name(s["name"]) for s in sources if s["band"] == band]
    more = f" and {len(names) - SUMMARY_NAMES} more" if len(names) > SUMMARY_NAMES else ""
    return ", ".join(names[:SUMMARY_NAMES]) + more


def _sources_summary(assessment: dict[str, Any]) -> str:
    sources = assessment["sources"]
    if likely := _names(sources, "likely"):
        return f"Likely: {likely}."
    if possible := _names(sources, "possible"):
        return f"No source is clearly likely; possible: {possible}."
    return "No source of posterior thigh pain is clearly likely."


def _info_detail(assessment: dict[str, Any]) -> str:
    triage = assessment["triage"]
    parts = [f"**Triage: {triage['level']}.** {triage['advice']}"]
    if triage["reasons"]:
        parts.append("\n".join(f"- {reason}" for reason in triage["reasons"]))
    if not assessment["coverage"]["in_scope"]:
        parts.append(assessment["coverage"]["note"])
    rows = "\n".join(
        f"| {s['name']} | {s['probability']:.0%} | {s['band']} |" for s in assessment["sources"]
    )
    parts.append("| Source | Probability | Band |\n| --- | --- | --- |\n" + rows)
    parts.append(f"**Is it the hamstring?** {assessment['hamstring_check']['explanation']}")
    if assessment["recommendations"]:
        parts.append(
            "**Recommendations:**\n"
            + "\n".join(f"- {r['name']} ({r['kind']})" for r in assessment["recommendations"])
        )
    parts.append(f"_{assessment['meta']['disclaimer']}_")
    return "\n\n".join(parts)


def build_cards(
    assessment: dict[str, Any], kb: KnowledgeBase, base_url: str, authored: str | None = None
) -> list[dict[str, Any]]:
    """Cards for a presented assessment; links are absolute URLs under `base_url`.

    `authored` is when the answers were given (the QuestionnaireResponse's `authored`):
    the clinician reading the card should know how old they are.
    """
    level: TriageLevel = assessment["triage"]["level"]
    cards = [_red_flag_card(flag, kb, base_url) for flag in assessment["red_flags"]]
    links = [_link("Source catalogue", base_url, "/v1/sources")]
    if assessment["recommendations"]:
        links.append(_link("Exercise and advice library", base_url, "/v1/exercises"))
    # The level goes first: if the summary must be shortened, source names give way.
    summary = f"{LEVEL_SUMMARY[level]} {_sources_summary(assessment)}"
    detail = _info_detail(assessment)
    if authored:
        detail = f"_Answers given {authored[:40]}._\n\n{detail}"
    cards.append(_card(summary, detail, "info", "assessment", links))
    return cards
