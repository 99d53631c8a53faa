"""Benchmarks and load tests. Every figure is reported beside a baseline measured in the
same run, so results compare across machines: `python -m bench` (the SPEC section 7
harness) and `python -m bench.load` (the soak test)."""
