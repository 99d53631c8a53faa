"""Structured logs: one JSON object per line on stdout, for every logger in the process.

Stdlib logging with a small JSON formatter is enough here: the only structured events
are the access log and errors, and it also captures uvicorn's and the libraries' own
records without another dependency. Privacy is built into the formatter: it writes the
message and the fields a caller passed with `extra=`, plus the current request id, and
for an exception only its type and stack, never its message (which may quote input).
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

from app.api.request_context import current_request_id

HANDLER_NAME = "thigh-triage-json"
# Attributes every LogRecord has, and uvicorn's ANSI-coloured copy of its message: none
# of them is written as a field. Anything else on a record came from `extra=`.
_SKIPPED = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    """Render a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object: time, level, logger, message, request id, extras."""
        document: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id is not None:
            document["request_id"] = request_id
        document.update((key, value) for key, value in vars(record).items() if key not in _SKIPPED)
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            document["exc_type"] = exc_type.__qualname__
            document["traceback"] = "".join(traceback.format_tb(tb))
        return json.dumps(document, ensure_ascii=False, default=str)


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler bound to whatever sys.stdout is when it writes.

    Binding at emit time honours later redirection (a test's capture, a supervisor that
    swaps the stream) instead of writing to the stream that existed at start-up.
    """

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def configure_logging(level: str) -> None:
    """Send every record at `level` or above to stdout as JSON (idempotent)."""
    handler = _StdoutHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn installs its own text handlers before importing the app: hand its records
    # to the root handler so they come out as JSON at the configured level too.
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
    # The access log below replaces uvicorn's (which has no request id and logs the query).
    logging.getLogger("uvicorn.access").disabled = True
