"""Wire the operational layers around the app: logging, metrics, auth, CORS, headers.

The order is deliberate (outermost first): the observer sees and ids every response,
security headers reach every response, CORS answers preflights before the key check
(browsers send no custom header on a preflight), and the key check runs before any
body is read.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app import __version__
from app.api import metrics
from app.api.auth import API_KEY_HEADER, ApiKeyAuth, document_api_key
from app.api.logs import configure_logging
from app.api.observe import REQUEST_ID_HEADER, RequestObserver
from app.api.security import SecurityHeaders
from app.api.state import PREPARED
from app.settings import Settings


def install_operations(app: FastAPI, settings: Settings) -> None:
    """Add logging, /metrics, API keys, CORS and security headers to `app`."""
    configure_logging(settings.log_level)
    observed = metrics.Metrics(
        app_version=__version__,
        knowledge_base_version=PREPARED.kb.policy.knowledge_base_version,
    )
    app.state.metrics = observed
    app.state.public_url = settings.public_url
    app.include_router(metrics.router)
    document_api_key(app)
    # add_middleware puts each new layer outside the previous ones: innermost first.
    if settings.api_keys:
        app.add_middleware(ApiKeyAuth, keys=settings.api_keys)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", API_KEY_HEADER, REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestObserver, metrics=observed)
