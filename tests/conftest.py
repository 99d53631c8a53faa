"""Shared fixtures: the packaged knowledge base and an HTTP client on the ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.engine import Prepared, prepare
from app.knowledge.load import default_knowledge_base
from app.knowledge.model import KnowledgeBase
from app.main import app


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(scope="session")
def prepared(kb: KnowledgeBase) -> Prepared:
    return prepare(kb)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report how many requests schemathesis sent, per operation, when it ran."""
    import sys

    module = sys.modules.get("tests.api.test_schemathesis")
    calls: dict[str, int] = getattr(module, "CALLS", {})
    if calls:
        total = sum(calls.values())
        terminalreporter.write_line(f"schemathesis: {total} requests over {len(calls)} operations")
