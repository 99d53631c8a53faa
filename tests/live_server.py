"""Run the real service with uvicorn on a loopback port, for tests that need a socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from bench.servers import ROOT, stop, wait_until_ready

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
                wait_until_ready(f"{base_url}/healthz", server, START_TIMEOUT_S)
            except RuntimeError as error:
                log.seek(0)
                raise RuntimeError(f"{error}\n{log.read().decode(errors='replace')}") from None
            yield base_url
        finally:
            stop(server, timeout=10)
