"""Start and stop uvicorn servers on loopback for benchmarks and load tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def stop(process: subprocess.Popen[Any], timeout: float = 15) -> None:
    """SIGTERM, so the server drains as in production; SIGKILL if it has not exited."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running uvicorn process."""

    process: subprocess.Popen[bytes]
    port: int
    started_at: float
    ready_after: float

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_kib(self) -> int:
        """Resident memory of the server and its workers, in KiB (from /proc)."""
        pids = [self.process.pid, *_children(self.process.pid)]
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def wait_until_ready(url: str, process: subprocess.Popen[Any], timeout: float = 30) -> None:
    """Poll `url` until it answers 200; raise if the process exits first or is too slow.

    Polls every 10 ms: the cold-start figure is measured with this.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, err = process.communicate()
            raise RuntimeError(f"the server exited with status {process.returncode}: {err or ''}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{url} was not ready within {timeout} s")


@contextlib.contextmanager
def serve(app: str, workers: int = 1, ready_path: str = "/healthz") -> Iterator[Server]:
    """Run `uvicorn app` on a free loopback port until the block exits."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "THIGH_TRIAGE_LOG_LEVEL": "WARNING"}
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (fixed argv)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}{ready_path}", process)
        yield Server(process, port, started, time.monotonic() - started)
    finally:
        stop(process)
