"""Prometheus metrics: request counts and latency by route template, triage outcomes.

Each app owns its registry (several apps in one process, as in the tests, would clash in
the global one). With several workers (the Docker image runs two) each worker is its own
process: set PROMETHEUS_MULTIPROC_DIR to an empty directory, as the image does, and
every worker writes its samples there and a scrape of any worker reports the sum over
all of them. Without it a scrape reaches one worker's figures only.
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import Scope

from app.api.request_context import RequestContext

# prometheus_client reads this variable when it is imported and then keeps every value in
# files under it; the exposition has to follow the same switch.
MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
NAMESPACE = "thigh_triage"
UNROUTED = "<unrouted>"
# Any other token a client sends as a method shares one label value, like unrouted paths.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The assessment takes milliseconds; the buckets resolve that range and a slow tail.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

router = APIRouter()


def route_template(scope: Scope, root_path: str) -> str:
    """The route's path template, so /v1/x and /v1/y do not become two series.

    `root_path` is the scope's root path before routing: a mount extends it, and FastAPI's
    router does not record a mount as the scope's route. Requests that never reached a
    route (unknown paths, scanners, refusals before routing: 401, 413, 415) share one
    label value.
    """
    template = getattr(scope.get("route"), "path_format", None)
    if isinstance(template, str):
        return template
    mounted: str = scope.get("root_path", "")
    if "endpoint" in scope and mounted.startswith(root_path) and mounted != root_path:
        return f"{mounted[len(root_path) :]}/{{path}}"
    return UNROUTED


class Metrics:
    """The app's registry and its metrics."""

    def __init__(self, *, app_version: str, knowledge_base_version: str) -> None:
        # The *_created series double the exposition and no dashboard here reads them.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.multiprocess = bool(os.environ.get(MULTIPROCESS_DIR_ENV))
        self.registry = CollectorRegistry()
        if not self.multiprocess:
            # Process figures (memory, CPU, open files) describe one process: summed over
            # workers they would mislead, so the multiprocess exposition leaves them out.
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
        labels = ("method", "route", "status")
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered, by route template and status.",
            labels,
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time from receiving a request to sending the end of its response.",
            labels,
            namespace=NAMESPACE,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.triage_levels = Counter(
            "triage_levels",
            "Triage assessments answered, by triage level.",
            ("level",),
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.red_flags = Counter(
            "red_flags",
            "Red flags raised in triage assessments, by red flag id.",
            ("red_flag",),
            namespace=NAMESPACE,
            registry=self.registry,
        )
        # A gauge fixed at 1 rather than an Info metric, which multiprocess mode lacks; the
        # sample, thigh_triage_knowledge_base_info{version, service_version} 1, is the same.
        knowledge_base = Gauge(
            "knowledge_base_info",
            "The knowledge base version served, and the service version serving it.",
            ("version", "service_version"),
            namespace=NAMESPACE,
            registry=self.registry,
            multiprocess_mode="max",
        )
        knowledge_base.labels(knowledge_base_version, app_version).set(1)
        # (method, route, status) -> its request counter and latency histogram. labels()
        # validates, converts and locks on every call; the label values are bounded (known
        # methods, route templates, status codes), so each pair is looked up once.
        self._by_labels: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}

    def exposition(self) -> bytes:
        """The Prometheus text exposition: this process's, or every worker's summed."""
        if not self.multiprocess:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def observe(
        self, method: str, route: str, status: int, seconds: float, context: RequestContext
    ) -> None:
        """Count one answered request and, for an assessment, its outcome."""
        labels = (method if method in METHODS else "OTHER", route, str(status))
        series = self._by_labels.get(labels)
        if series is None:
            series = self._by_labels[labels] = (
                self.requests.labels(*labels),
                self.latency.labels(*labels),
            )
        series[0].inc()
        series[1].observe(seconds)
        if context.triage_level is not None:
            self.triage_levels.labels(context.triage_level).inc()
        for red_flag in context.red_flags:
            self.red_flags.labels(red_flag).inc()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text exposition of the service's metrics."""
    observed: Metrics = request.app.state.metrics
    return Response(observed.exposition(), media_type=CONTENT_TYPE_LATEST)
