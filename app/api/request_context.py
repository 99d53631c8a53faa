"""What the service knows about the request in flight: its id and the assessment outcome.

The observing middleware opens a RequestContext for each HTTP request; code deeper down
(log records, problem documents, the triage route) reads or fills it through a context
variable, so none of them needs the request object passed in.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RequestContext:
    """One request's id and, once the triage route has answered, its outcome."""

    request_id: str
    triage_level: str | None = None
    red_flags: tuple[str, ...] = field(default=())


# A mutable object rather than plain values in the variable: the route fills it in, and
# the middleware that created it reads it after the response, whatever context copies
# the framework made in between.
CURRENT: ContextVar[RequestContext | None] = ContextVar("thigh_triage_request", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    context = CURRENT.get()
    return context.request_id if context else None


def record_assessment(result: dict[str, Any]) -> dict[str, Any]:
    """Note a triage response's level and red flags for the access log and metrics.

    Returns `result` unchanged so the route can wrap its return value in one call. Only
    the level and red flag ids are kept: never anything else from the response.
    """
    context = CURRENT.get()
    if context is not None:
        context.triage_level = str(result["triage"]["level"])
        context.red_flags = tuple(str(flag["id"]) for flag in result["red_flags"])
    return result
