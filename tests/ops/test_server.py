"""The real server: uvicorn's own lines are JSON too, and SIGTERM shuts down gracefully."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from app.api.metrics import MULTIPROCESS_DIR_ENV
from app.contracts import ROOT
from bench.servers import free_port, stop, wait_until_ready


def test_served_logs_are_json_lines_and_sigterm_drains() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("THIGH_TRIAGE_")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base}/healthz", server)
        answer = httpx.post(
            f"{base}/v1/triage",
            json={"findings": {"saddle_numbness": True}},
            headers={"X-Request-ID": "served-1"},
            timeout=10,
        )
        assert answer.headers["X-Request-ID"] == "served-1"
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    # uvicorn finishes its shutdown, then re-raises the signal so the exit status says why.
    assert server.returncode in (0, -signal.SIGTERM), err
    records = [json.loads(line) for line in out.splitlines()]
    messages = [r["message"] for r in records]
    assert any(m.startswith("Started server process") for m in messages)
    assert "Application shutdown complete." in messages
    triage = next(r for r in records if r.get("request_id") == "served-1")
    assert (triage["route"], triage["status"], triage["triage_level"]) == (
        "/v1/triage",
        200,
        "emergency",
    )
    assert not any("color_message" in r for r in records)
    assert err == ""


def _samples(text: str, name: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    )


def test_every_worker_reports_the_metrics_of_all_workers() -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith("THIGH_TRIAGE_") and k != MULTIPROCESS_DIR_ENV
    }
    command = Path(sys.executable).parent / "thigh-triage"
    server = subprocess.Popen(
        [str(command), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base}/healthz", server)
        # A new connection per request lets either worker take it.
        for _ in range(12):
            answer = httpx.post(f"{base}/v1/triage", json={"findings": {}}, timeout=10)
            assert answer.status_code == 200
        scrapes = [httpx.get(f"{base}/metrics", timeout=10).text for _ in range(6)]
    finally:
        stop(server, timeout=30)
    totals = {_samples(text, "thigh_triage_triage_levels_total") for text in scrapes}
    assert totals == {12}, "each scrape must sum every worker's samples"
    # One process's memory is not the sum over workers: those figures are left out.
    assert all("process_resident_memory_bytes" not in text for text in scrapes)
