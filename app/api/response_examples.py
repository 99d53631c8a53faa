"""Response examples for the OpenAPI document, computed from the real code path.

Examples are produced by the engine and the catalogue at import, so they can never
disagree with what the service returns; lists are shortened to keep the document readable.
"""

from __future__ import annotations

from typing import Any

from app.api.examples import TRIAGE_EXAMPLES
from app.api.present import present, to_case
from app.api.schemas import TriageRequest
from app.api.state import PREPARED
from app.engine import assess

SHOWN_ITEMS = 2
TRIAGE_EXAMPLE_NAME = "sitting_pain"


def ok_example(summary: str, value: Any) -> dict[str, Any]:
    """A 200 response entry with one named JSON example, for a route's `responses`."""
    return {
        "content": {
            "application/json": {"examples": {"example": {"summary": summary, "value": value}}}
        }
    }


def _shortened_assessment(name: str) -> dict[str, Any]:
    request = TriageRequest.model_validate(TRIAGE_EXAMPLES[name]["value"])
    document = present(assess(to_case(request), PREPARED), PREPARED.kb)
    for key in ("sources", "recommendations", "next_questions"):
        document[key] = document[key][:SHOWN_ITEMS]
    for source in document["sources"]:
        source["evidence"] = source["evidence"][: SHOWN_ITEMS + 1]
    return document


TRIAGE_OK: dict[str, Any] = {
    "description": "The assessment.",
    **ok_example(
        f"{TRIAGE_EXAMPLES[TRIAGE_EXAMPLE_NAME]['summary']} (lists shortened)",
        _shortened_assessment(TRIAGE_EXAMPLE_NAME),
    ),
}
