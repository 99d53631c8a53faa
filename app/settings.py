"""Service configuration from `THIGH_TRIAGE_*` environment variables, validated at start.

A bad value stops the service before it serves anything, with a message naming the
variable, so a misconfiguration (a typo that would silently switch authentication off,
a CORS origin with a trailing slash) is found at deploy time rather than in production.
"""

from __future__ import annotations

import os
import re
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "THIGH_TRIAGE_"
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
MIN_API_KEY_LENGTH = 16
# Printable ASCII without spaces or commas: what an HTTP header carries verbatim and the
# comma-separated variable can hold.
_API_KEY = re.compile(r"[\x21-\x2b\x2d-\x7e]+")
_ORIGIN = re.compile(r"https?://[^/\s]+")
_PUBLIC_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?")
# What Kubernetes injects for a Service named thigh-triage (service links): not settings.
_SERVICE_LINK = re.compile(
    ENV_PREFIX
    + r"(SERVICE_HOST|SERVICE_PORT(_\w+)?|PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)"
)


class SettingsError(ValueError):
    """The environment holds an invalid or unknown THIGH_TRIAGE_* setting."""


def _comma_separated(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Everything the service reads from its environment (besides PORT and WORKERS)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True)

    # repr=False: the keys are secrets and must not appear if the settings are printed.
    api_keys: Annotated[frozenset[str], NoDecode, Field(repr=False)] = frozenset()
    """Accepted X-API-Key values; empty means authentication is off."""
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    """Browser origins allowed to call the API; empty means no CORS headers at all."""
    log_level: LogLevel = "INFO"
    """Threshold for every logger, the access log included."""
    public_url: str | None = None
    """The service's public base URL (scheme://host[:port][/path]) for the absolute links
    in CDS Hooks cards; unset, links use the request's own URL, whose Host header the
    client controls, so set it in production."""

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return _comma_separated(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("api_keys")
    @classmethod
    def _strong_keys(cls, keys: frozenset[str]) -> frozenset[str]:
        # The message never includes a key: it may end up in a deploy log.
        for key in keys:
            if len(key) < MIN_API_KEY_LENGTH:
                raise ValueError(f"every key needs at least {MIN_API_KEY_LENGTH} characters")
            if not _API_KEY.fullmatch(key):
                raise ValueError("keys may hold printable ASCII only, without spaces or commas")
        return keys

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, url: str | None) -> str | None:
        if url is not None and not _PUBLIC_URL.fullmatch(url):
            raise ValueError(f"{url!r} is not a base URL: use http(s)://host[:port][/path]")
        return url.rstrip("/") if url is not None else None

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        if "*" in origins and len(origins) > 1:
            raise ValueError("'*' allows every origin and cannot be combined with others")
        for origin in origins:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"{origin!r} is not an origin: use scheme://host[:port], "
                    "without a path or trailing slash"
                )
        return origins


def _variable(field: object) -> str:
    return f"{ENV_PREFIX}{str(field).upper()}"


def load_settings() -> Settings:
    """Read and validate the settings, raising SettingsError naming each bad variable."""
    known = {_variable(name) for name in Settings.model_fields}
    unknown = sorted(
        name
        for name in os.environ
        if name.upper().startswith(ENV_PREFIX)
        and name.upper() not in known
        and not _SERVICE_LINK.fullmatch(name.upper())
    )
    if unknown:
        # A misspelt THIGH_TRIAGE_API_KEYS would otherwise leave authentication off.
        raise SettingsError(
            f"Unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}."
        )
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"{_variable(e['loc'][0])}: {e['msg'].removeprefix('Value error, ')}"
            for e in error.errors()
        ]
        raise SettingsError("Invalid configuration: " + "; ".join(problems)) from None
