"""Load and soak test: `python -m bench.load [--seconds 60] [--connections 64]`.

Starts the service on loopback, warms it up, then drives POST /v1/triage with wrk and
reports errors, p50/p99 latency and RSS before and after. Exits non-zero on any error
or when RSS grows by more than 10%.
"""

from __future__ import annotations

import argparse
import sys

from bench.payloads import thirty_findings
from bench.servers import serve
from bench.wrk import run

MAX_RSS_GROWTH = 0.10


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=5)
    args = parser.parse_args(argv)
    body = thirty_findings()
    with serve("app.main:app", workers=args.workers) as server:
        url = f"{server.url}/v1/triage"
        run(url, body, seconds=args.warmup, connections=args.connections)
        rss_before = server.rss_kib()
        result = run(url, body, seconds=args.seconds, connections=args.connections)
        rss_after = server.rss_kib()
    growth = (rss_after - rss_before) / rss_before if rss_before else 0.0
    print(f"soak: {args.seconds:.0f} s, {args.connections} connections, {args.workers} worker(s)")
    print(f"  requests         {result.requests}")
    print(f"  requests/s       {result.requests_per_second:.0f}")
    print(f"  errors           {result.errors}")
    print(f"  latency p50      {result.p50_ms:.2f} ms")
    print(f"  latency p99      {result.p99_ms:.2f} ms")
    print(f"  RSS before       {rss_before / 1024:.1f} MiB")
    print(f"  RSS after        {rss_after / 1024:.1f} MiB ({growth:+.1%})")
    ok = result.errors == 0 and growth <= MAX_RSS_GROWTH
    print("  verdict          " + ("pass" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
