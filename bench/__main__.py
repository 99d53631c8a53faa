"""The SPEC section 7 harness: `python -m bench [--seconds 5] [--rounds 3] [--engine-only]`.

Every figure is printed beside a baseline measured in the same run:
- engine: microseconds per assessment of a 30-finding payload (next questions
  included) against a no-op Python call;
- HTTP: requests/s and p50/p99 of POST /v1/triage against a bare FastAPI endpoint that
  reads the body and returns a constant, and a raw ASGI app returning fixed bytes, each
  in its own one-worker uvicorn on loopback, in interleaved rounds of wrk at 32
  connections; beside them the triage route's own work in a raw ASGI app, to show what
  the framework and middleware cost; then the service with 2 workers;
- memory: RSS per worker after warm-up and after 100,000 requests;
- cold start: process start to the first 200.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from app.api.present import to_case
from app.api.schemas import TriageRequest
from app.api.state import PREPARED
from app.engine import assess
from bench.payloads import thirty_findings
from bench.servers import serve
from bench.wrk import LoadResult, run

# name -> (ASGI app, a GET path that answers 200 once the server is up)
APPS = {
    "thigh-triage": ("app.main:app", "/healthz"),
    "bare FastAPI": ("bench.baselines:bare_fastapi", "/docs"),
    "raw ASGI": ("bench.baselines:raw_asgi", "/"),
    # Not a target: where the time goes. The same work with no framework around it.
    "triage, no framework": ("bench.baselines:triage_without_framework", "/"),
    # Not a target either: our whole stack around a constant answer, no engine at all.
    "stack, constant answer": ("bench.stack_floor:app", "/healthz"),
}
CONNECTIONS = 32
MEMORY_REQUESTS = 100_000


def _per_call_us(function: Callable[[], object], calls: int, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(samples)


def engine_figures() -> tuple[float, float]:
    """(µs per assessment, µs per no-op call)."""
    case = to_case(TriageRequest.model_validate(thirty_findings()))

    def noop() -> None:
        return None

    def one() -> object:
        return assess(case, PREPARED)

    for _ in range(200):
        one()
    return _per_call_us(one, 2_000, 7), _per_call_us(noop, 200_000, 7)


def http_figures(seconds: float, rounds: int) -> dict[str, list[LoadResult]]:
    """Interleaved wrk rounds against the service and both baselines, one worker each."""
    body = thirty_findings()
    results: dict[str, list[LoadResult]] = {name: [] for name in APPS}
    for _ in range(rounds):
        for name, (app, ready_path) in APPS.items():
            with serve(app, ready_path=ready_path) as server:
                url = f"{server.url}/v1/triage"
                run(url, body, seconds=1, connections=CONNECTIONS)  # warm-up
                results[name].append(run(url, body, seconds=seconds, connections=CONNECTIONS))
    return results


def _median(results: list[LoadResult], field: str) -> float:
    return float(statistics.median(float(getattr(r, field)) for r in results))


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5, help="seconds per wrk round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--engine-only", action="store_true", help="measure the engine alone (no servers)"
    )
    args = parser.parse_args(argv)

    engine_us, noop_us = engine_figures()
    print("engine (30-finding payload, next questions included)")
    print(
        f"  assessment      {engine_us:8.1f} us   no-op call {noop_us:.3f} us   "
        f"ratio {engine_us / noop_us:,.0f}x   target < 50 us"
    )
    if args.engine_only:
        return 0

    http = http_figures(args.seconds, args.rounds)
    bare_rps = _median(http["bare FastAPI"], "requests_per_second")
    print(
        f"\nHTTP, 1 worker, {CONNECTIONS} connections, {args.rounds} interleaved rounds of "
        f"{args.seconds:.0f} s (medians)"
    )
    for name in APPS:
        rps = _median(http[name], "requests_per_second")
        p50, p99 = _median(http[name], "p50_ms"), _median(http[name], "p99_ms")
        errors = sum(r.errors for r in http[name])
        print(
            f"  {name:22} {rps:8.0f} req/s  x{rps / bare_rps:4.2f} of bare FastAPI  "
            f"p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  errors {errors}"
        )
    print("  targets: thigh-triage >= 0.6x bare FastAPI, p99 < 15 ms")

    body = thirty_findings()
    with serve("app.main:app", workers=2) as server:
        url = f"{server.url}/v1/triage"
        run(url, body, seconds=1, connections=CONNECTIONS)
        two = run(url, body, seconds=args.seconds, connections=CONNECTIONS)
    one_rps = _median(http["thigh-triage"], "requests_per_second")
    scale = two.requests_per_second / one_rps
    print(
        f"  2 workers              {two.requests_per_second:8.0f} req/s  x{scale:4.2f} of 1 worker"
        f"  p99 {two.p99_ms:6.2f} ms"
    )

    with serve("app.main:app") as server:
        cold = server.ready_after
        url = f"{server.url}/v1/triage"
        run(url, body, seconds=2, connections=CONNECTIONS)
        warm_rss = server.rss_kib()
        served = 0
        while served < MEMORY_REQUESTS:
            result = run(
                url,
                body,
                seconds=max(2.0, (MEMORY_REQUESTS - served) / max(one_rps, 1)),
                connections=CONNECTIONS,
            )
            served += result.requests
        after_rss = server.rss_kib()
    growth = (after_rss - warm_rss) / warm_rss
    print(
        f"\nmemory (1 worker)   after warm-up {warm_rss / 1024:.1f} MiB   "
        f"after {served:,} requests {after_rss / 1024:.1f} MiB ({growth:+.1%})"
        "   target < 120 MB, flat"
    )
    print(f"cold start          process start to first 200: {cold:.2f} s   target < 1.5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
