"""The process-wide, read-only knowledge: loaded and validated once at import."""

from __future__ import annotations

from app.engine import Prepared, prepare
from app.knowledge.load import default_knowledge_base

PREPARED: Prepared = prepare(default_knowledge_base())
