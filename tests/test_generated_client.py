"""A Python client generated from the committed openapi/openapi.json talks to the service."""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app import __version__
from tests.live_server import ROOT, live_server

PACKAGE = "thigh_triage_client"
GENERATE_TIMEOUT_S = 120
API_KEY = secrets.token_urlsafe(24)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Generate the client package into a temporary directory and put it on sys.path."""
    out = tmp_path_factory.mktemp("client")
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi" / "openapi.json"),
            "--meta",
            "none",
            "--output-path",
            str(out / PACKAGE),
        ],
        # The generator formats its output with ruff, found on PATH.
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=GENERATE_TIMEOUT_S,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # The /v1 API must be generated whole; a warning names the operation it skipped a part of.
    skipped = re.findall(r"WARNING parsing \w+ (\S+)", output)
    assert not [path for path in skipped if path.startswith("/v1/")], output
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(env={"THIGH_TRIAGE_API_KEYS": API_KEY}) as url:
        yield url


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _client(base_url: str) -> Any:
    return _module("client").AuthenticatedClient(
        base_url=base_url,
        token=API_KEY,
        prefix="",
        auth_header_name="X-API-Key",
        raise_on_unexpected_status=True,
        timeout=10.0,
    )


def test_triage_through_the_generated_client(generated: Path, base_url: str) -> None:
    models = _module("models")
    body = models.TriageRequest.from_dict(
        {
            "age": 34,
            "sex": "female",
            "activities": ["running"],
            "findings": {"pain_with_sitting": True, "saddle_numbness": False},
        }
    )
    with _client(base_url) as client:
        result = _module("api.triage.triage").sync(client=client, body=body)
    assert isinstance(result, models.TriageResponse)
    assert result.triage.level.value in {"emergency", "urgent", "soon", "self_care"}
    assert result.meta.engine_version == __version__
    probabilities = [source.probability for source in result.sources]
    assert probabilities == sorted(probabilities, reverse=True)
    assert {source.id for source in result.sources} >= {"hamstring_strain", "sciatic_nerve"}
    assert all(isinstance(q, models.NextQuestionOut) for q in result.next_questions)
    assert "pain_with_sitting" not in {q.finding for q in result.next_questions}


def test_catalogue_through_the_generated_client(generated: Path, base_url: str) -> None:
    models = _module("models")
    with _client(base_url) as client:
        findings = _module("api.catalogue.findings").sync(client=client)
    assert all(isinstance(f, models.FindingEntry) for f in findings)
    by_id = {f.id: f for f in findings}
    assert by_id["pain_with_sitting"].audience.value == "patient"
    assert "cauda_equina" in by_id["saddle_numbness"].screens_for


def test_errors_parse_as_problems(generated: Path, base_url: str) -> None:
    models = _module("models")
    with _client(base_url) as client:
        invalid = _module("api.triage.triage").sync_detailed(
            client=client, body=models.TriageRequest.from_dict({"age": 5})
        )
    assert invalid.status_code == 422
    problem = models.Problem.from_dict(json.loads(invalid.content))
    assert problem.errors[0].pointer == "/age"
    anonymous = _module("client").Client(base_url=base_url, timeout=10.0)
    with anonymous:
        refused = _module("api.catalogue.findings").sync_detailed(client=anonymous)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.Problem)
