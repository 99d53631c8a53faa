"""The `thigh-triage` command line: assess (summary and --json) and serve."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import __version__, cli
from app.api.examples import TRIAGE_EXAMPLES
from app.api.metrics import MULTIPROCESS_DIR_ENV

SITTING = TRIAGE_EXAMPLES["sitting_pain"]["value"]


def _payload(tmp_path: Path, body: Any, name: str = "payload.json") -> str:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body))
    return str(path)


def test_assess_prints_a_readable_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["assess", _payload(tmp_path, SITTING)]) == 0
    out = capsys.readouterr().out
    for heading in (
        "Triage: SOON",
        "Red flags: none",
        "Is it really the hamstring?",
        "Most likely sources:",
        "Recommendations:",
        "Next questions:",
        "knowledge base",
    ):
        assert heading in out, heading
    assert "1. Obturator internus (pelvic floor muscle): " in out
    # the rationale of the top source (the summary wraps lines wherever words fall)
    assert "pelvic floor symptoms" in " ".join(out.split())
    assert "Outside what this service assesses" not in out
    assert "?" in out.split("Next questions:")[1]


def test_assess_shows_red_flags_and_withholds_exercises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = _payload(tmp_path, TRIAGE_EXAMPLES["cauda_equina"]["value"])
    assert cli.main(["assess", payload]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Triage: EMERGENCY")
    assert "! Possible cauda equina syndrome (emergency)" in out
    assert "Recommendations: none" in out


def test_assess_says_when_the_picture_is_out_of_scope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = _payload(tmp_path, TRIAGE_EXAMPLES["knee_out_of_scope"]["value"])
    assert cli.main(["assess", payload]) == 0
    out = capsys.readouterr().out
    assert "Outside what this service assesses:\n  Some answers point outside" in out


@pytest.mark.anyio
async def test_json_is_byte_for_byte_the_http_response(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], client: httpx.AsyncClient
) -> None:
    for name, example in TRIAGE_EXAMPLES.items():
        response = await client.post("/v1/triage", json=example["value"])
        assert response.status_code == 200
        capsys.readouterr()  # the service's own log lines
        assert cli.main(["assess", "--json", _payload(tmp_path, example["value"])]) == 0
        assert capsys.readouterr().out == response.text + "\n", name


def test_assess_reads_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.StringIO(json.dumps(SITTING))
    assert cli.main(["assess", "--json", "-"], stdin=stdin) == 0
    assert json.loads(capsys.readouterr().out)["triage"]["level"] == "soon"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"age": "34", "findings": {"pain_with_siting": True}},
            [
                "invalid request:",
                "/age: Input should be a valid integer",
                "/findings/pain_with_siting: Unknown finding id 'pain_with_siting'. "
                "Did you mean 'pain_with_sitting'",
            ],
        ),
        ({"colour": "red"}, ["/colour: Unknown field 'colour'."]),
        ([1, 2], ["/: Input should be a valid dictionary"]),
        ('{"age": 34,', ["the payload is not valid JSON (line 1, column 12"]),
    ],
)
def test_an_invalid_payload_is_a_clear_error_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: Any, expected: list[str]
) -> None:
    assert cli.main(["assess", _payload(tmp_path, body)]) == cli.EXIT_INVALID
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("thigh-triage: ")
    for text in expected:
        assert text in captured.err
    assert "Traceback" not in captured.err


def test_an_unreadable_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["assess", str(tmp_path / "missing.json")]) == cli.EXIT_INVALID
    assert "cannot read" in capsys.readouterr().err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert cli.main(["assess", str(binary)]) == cli.EXIT_INVALID
    assert "not UTF-8" in capsys.readouterr().err


def test_serve_runs_uvicorn_with_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: calls.append((a, k)))
    # Empty counts as unset; monkeypatch then restores the variable's absence afterwards.
    monkeypatch.setenv(MULTIPROCESS_DIR_ENV, "")
    assert cli.main(["serve"]) == 0
    fixed = {
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": cli.GRACEFUL_SHUTDOWN_S,
    }
    assert calls == [
        (("app.main:app",), {"host": "127.0.0.1", "port": 8000, "workers": 1, **fixed})
    ]
    assert not os.environ[MULTIPROCESS_DIR_ENV], "one worker keeps its process metrics"
    calls.clear()
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "9123", "--workers", "2"]) == 0
    assert calls == [(("app.main:app",), {"host": "0.0.0.0", "port": 9123, "workers": 2, **fixed})]
    assert Path(os.environ[MULTIPROCESS_DIR_ENV]).is_dir()


def test_serve_clears_the_samples_an_earlier_run_left(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: None)
    stale = tmp_path / "counter_123.db"
    stale.write_bytes(b"old")
    keep = tmp_path / "notes.txt"
    keep.write_text("not ours")
    monkeypatch.setenv(MULTIPROCESS_DIR_ENV, str(tmp_path))
    assert cli.main(["serve"]) == 0
    assert not stale.exists()
    assert keep.exists()


def test_version_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"thigh-triage {__version__}"
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2


def test_installed_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "thigh-triage"
    assert script.exists(), "run `pip install -e .` (make dev) to install the console script"
    done = subprocess.run(
        [str(script), "assess", _payload(tmp_path, SITTING)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Triage: SOON")
    invalid = subprocess.run(
        [str(script), "assess", "-"],
        input='{"findings": {"pain_with_siting": true}}',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert invalid.returncode == 2
    assert "Did you mean 'pain_with_sitting'" in invalid.stderr
    assert "Traceback" not in invalid.stderr
