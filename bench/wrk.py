"""Drive wrk (Debian package) with a JSON POST and parse what it reports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors plus non-2xx/3xx responses


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(f"unexpected latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse(output: str) -> LoadResult:
    """Parse `wrk --latency` output."""
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return LoadResult(requests, rps, p50, p99, errors)


def run(
    url: str, body: dict[str, Any], seconds: float, connections: int, threads: int = 2
) -> LoadResult:
    """POST `body` to `url` for `seconds` with `connections` open connections."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    script = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "post.lua"
        path.write_text(script)
        completed = subprocess.run(  # noqa: S603 (fixed argv, loopback target)
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                str(path),
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    return parse(completed.stdout)
