"""Run the real service with uvicorn on a loopback port, for tests that need a socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 20.0


@contextmanager
def live_server(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve app.main:app on 127.0.0.1 and yield its base URL; stop it afterwards.

    `env` adds to (or overrides) the environment the server sees, e.g. its settings.
    """
    # The socket is bound here and handed to uvicorn, so no other process can take the port
    # between choosing it and serving on it.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.set_inheritable(True)
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--no-access-log"]
    with tempfile.TemporaryFile() as log, listener:
        server = subprocess.Popen(
            [*command, "--fd", str(listener.fileno())],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            pass_fds=[listener.fileno()],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            try:
                wait_until_healthy(base_url, server)
            except RuntimeError as error:
                log.seek(0)
                raise RuntimeError(f"{error}\n{log.read().decode(errors='replace')}") from None
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def free_port() -> int:
    """A loopback port free at the moment of asking (for servers that bind it themselves)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(base_url: str, server: subprocess.Popen[Any]) -> None:
    """Poll /healthz until it answers 200; raise if the server exits or is too slow."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            _, err = server.communicate()
            raise RuntimeError(f"the server exited with status {server.returncode}: {err or ''}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not become ready within {START_TIMEOUT_S} s")
