"""The `thigh-triage` command: assess a JSON payload, or serve the HTTP API.

    thigh-triage assess payload.json         # a plain-text summary
    thigh-triage assess --json - < case.json # the exact POST /v1/triage response body
    thigh-triage serve --port 8000

`assess` validates with the request model and runs the same code path as POST /v1/triage,
so the command line and the API cannot disagree.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import uvicorn
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app import __version__
from app.api.metrics import MULTIPROCESS_DIR_ENV
from app.api.present import present, to_case
from app.api.problems import error_message, json_pointer
from app.api.response_schemas import TriageResponse
from app.api.schemas import TriageRequest
from app.api.state import PREPARED
from app.engine import assess
from app.summary import summarise

EXIT_INVALID = 2


class InvalidPayloadError(Exception):
    """The payload is not a valid triage request; the message says why, for a person."""


def _read(source: str, stdin: TextIO) -> str:
    if source == "-":
        return stdin.read()
    try:
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise InvalidPayloadError(f"cannot read {source}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise InvalidPayloadError(f"cannot read {source}: it is not UTF-8 text") from error


def _describe(error: ErrorDetails) -> str:
    # The HTTP layer's JSON pointers and wording (with "did you mean" hints), so that both
    # interfaces say the same thing; its helpers expect FastAPI's ("body", ...) locations.
    loc: tuple[int | str, ...] = ("body", *error["loc"])
    located: dict[str, Any] = {**error, "loc": loc}
    return f"  {json_pointer(loc) or '/'}: {error_message(located)}"


def assess_payload(text: str) -> str:
    """Validate a JSON request body and return the /v1/triage response body, as JSON.

    The body is byte-for-byte what POST /v1/triage returns for the same payload.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidPayloadError(
            f"the payload is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from error
    try:
        # Same mode as the HTTP layer: parsed JSON, then the strict request model.
        request = TriageRequest.model_validate(data)
    except ValidationError as error:
        problems = "\n".join(_describe(e) for e in error.errors())
        raise InvalidPayloadError(f"invalid request:\n{problems}") from error
    document = present(assess(to_case(request), PREPARED), PREPARED.kb)
    # FastAPI serialises a response_model this way (pydantic's dump_json), hence the same bytes.
    return TriageResponse.model_validate(document).model_dump_json()


def _assess(args: argparse.Namespace, stdin: TextIO) -> int:
    body = assess_payload(_read(args.payload, stdin))
    if args.json:
        print(body)
    else:
        print(summarise(TriageResponse.model_validate_json(body)), end="")
    return 0


# Seconds a stopping server gives requests in flight (Kubernetes waits 30 by default).
GRACEFUL_SHUTDOWN_S = 20


def _prepare_metrics_directory(workers: int) -> None:
    """Give the workers one fresh metrics directory, so any worker's /metrics is the sum.

    A directory named in PROMETHEUS_MULTIPROC_DIR is created or emptied; with several
    workers and none named, a temporary one is made. One worker and none named keeps the
    in-process registry, with its process figures (memory, CPU).
    """
    directory = os.environ.get(MULTIPROCESS_DIR_ENV)
    if directory:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        # Samples an earlier run left there would be added to this run's.
        for stale in path.glob("*.db"):
            stale.unlink()
    elif workers > 1:
        directory = tempfile.mkdtemp(prefix="thigh-triage-metrics-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        # Workers are new processes: they inherit the variable and read it on import.
        os.environ[MULTIPROCESS_DIR_ENV] = directory


def _serve(args: argparse.Namespace) -> int:
    _prepare_metrics_directory(args.workers)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        # The app writes its own JSON access log, with the request id and no query string.
        access_log=False,
        # No "server: uvicorn" header: the software and version are nobody's business.
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thigh-triage",
        description="Posterior-thigh pain triage: is it really the hamstring? "
        "Decision support, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    assess = commands.add_parser(
        "assess",
        help="assess one case from a JSON file (the POST /v1/triage body)",
        description="Assess one case. The payload is the POST /v1/triage request body.",
    )
    assess.add_argument("payload", help="path to a JSON file, or - for standard input")
    assess.add_argument(
        "--json", action="store_true", help="print the exact /v1/triage response JSON"
    )

    serve = commands.add_parser("serve", help="serve the HTTP API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    try:
        return _assess(args, sys.stdin if stdin is None else stdin)
    except InvalidPayloadError as error:
        print(f"thigh-triage: {error}", file=sys.stderr)
        return EXIT_INVALID
