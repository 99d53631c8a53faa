"""Helpers for the operational tests."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings

API_KEY = "test-key-0123456789abcdef"
OTHER_KEY = "other-key-fedcba9876543210"


def build_app(**settings: Any) -> FastAPI:
    """A fresh app (with its own metrics registry) built from the given settings."""
    return create_app(Settings(**settings))
