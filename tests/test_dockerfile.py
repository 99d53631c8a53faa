"""The Dockerfile: non-root, health-checked, honours PORT, and its install step works.

There is no container engine here, so the slow test replays the build stage by hand:
the files its COPY lines name go into a temporary directory, `pip install .` runs into
a fresh virtualenv (from PyPI, about 30 s), and the image's CMD and HEALTHCHECK commands
then run against that virtualenv from outside the source tree, as in the image.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.contracts import ROOT
from bench.servers import free_port, wait_until_ready

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    pairs = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for keyword, rest in _instructions(DOCKERFILE):
        if keyword == "FROM":
            stages.append([])
        stages[-1].append((keyword, rest))
    return stages


def _last(stage: list[tuple[str, str]], keyword: str) -> str:
    values = [rest for k, rest in stage if k == keyword]
    assert values, f"no {keyword} in the stage"
    return values[-1]


BUILD, RUNTIME = _stages()[0], _stages()[-1]
CMD: list[str] = json.loads(_last(RUNTIME, "CMD"))
HEALTHCHECK = _last(RUNTIME, "HEALTHCHECK")


def test_the_runtime_runs_as_a_non_root_user() -> None:
    user = _last(RUNTIME, "USER")
    assert user not in {"root", "0"}
    assert user.split(":")[0] == "10001", "deploy/deployment.yaml runs as 10001"


def test_the_runtime_has_a_healthcheck_on_the_port() -> None:
    assert "/healthz" in HEALTHCHECK
    assert "PORT" in HEALTHCHECK


def test_cmd_serves_through_the_cli_with_port_workers_and_shared_metrics() -> None:
    command = " ".join(CMD)
    # `thigh-triage serve` drains on SIGTERM and drops uvicorn's access log (tests/test_cli).
    assert "exec thigh-triage serve" in command
    assert '--port "$PORT"' in command
    assert '--workers "$WORKERS"' in command
    env = dict(rest.split("=", 1) for k, r in RUNTIME if k == "ENV" for rest in shlex.split(r))
    assert env["PORT"] == "8000"
    assert int(env["WORKERS"]) > 1


@pytest.mark.slow
def test_the_build_stage_installs_and_the_image_commands_run(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for keyword, rest in BUILD:
        if keyword == "COPY":
            *names, destination = shlex.split(rest)
            target = source / destination
            for name in names:
                origin = ROOT / name
                if origin.is_dir():
                    shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(origin, target / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("THIGH_TRIAGE_")}
    env |= {"PATH": f"{venv / 'bin'}:{env['PATH']}", "PORT": str(port), "WORKERS": "1"}
    # The image has no WORKDIR in its last stage: run from elsewhere than the source tree,
    # so that only the installed package (and its packaged data) can be imported.
    workdir = tmp_path / "run"
    workdir.mkdir()
    server = subprocess.Popen(
        CMD, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base}/healthz", server)
        answer = httpx.post(f"{base}/v1/triage", json={"findings": {}}, timeout=10)
        assert answer.status_code == 200, "the knowledge base was not packaged"
        probe = HEALTHCHECK.split(" CMD ", 1)[1]
        check = subprocess.run(["sh", "-c", probe], cwd=workdir, env=env, timeout=30, check=False)
        assert check.returncode == 0
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode in (0, -signal.SIGTERM)
