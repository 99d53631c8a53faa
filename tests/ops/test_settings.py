"""Settings: THIGH_TRIAGE_* variables, parsed and validated, failing at start with the name."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.contracts import ROOT
from app.settings import Settings, SettingsError, load_settings

from .support import API_KEY, OTHER_KEY


def test_defaults_turn_auth_and_cors_off() -> None:
    settings = load_settings()
    assert settings.api_keys == frozenset()
    assert settings.cors_origins == ()
    assert settings.log_level == "INFO"


def test_comma_separated_variables_are_split_and_trimmed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIGH_TRIAGE_API_KEYS", f" {API_KEY} ,,{OTHER_KEY}")
    monkeypatch.setenv("THIGH_TRIAGE_CORS_ORIGINS", "https://app.example, http://localhost:3000")
    monkeypatch.setenv("THIGH_TRIAGE_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.api_keys == {API_KEY, OTHER_KEY}
    assert settings.cors_origins == ("https://app.example", "http://localhost:3000")
    assert settings.log_level == "DEBUG"


def test_kubernetes_service_links_are_not_unknown_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (
        "THIGH_TRIAGE_SERVICE_HOST",
        "THIGH_TRIAGE_SERVICE_PORT",
        "THIGH_TRIAGE_SERVICE_PORT_HTTP",
        "THIGH_TRIAGE_PORT",
        "THIGH_TRIAGE_PORT_80_TCP",
        "THIGH_TRIAGE_PORT_80_TCP_ADDR",
    ):
        monkeypatch.setenv(name, "10.0.0.1")
    assert load_settings().log_level == "INFO"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("THIGH_TRIAGE_LOG_LEVEL", "verbose", "THIGH_TRIAGE_LOG_LEVEL: Input should be 'DEBUG'"),
        ("THIGH_TRIAGE_API_KEYS", "short", "THIGH_TRIAGE_API_KEYS: every key needs at least 16"),
        ("THIGH_TRIAGE_API_KEYS", "has space 0123456789", "THIGH_TRIAGE_API_KEYS: keys may"),
        ("THIGH_TRIAGE_CORS_ORIGINS", "https://app.example/", "THIGH_TRIAGE_CORS_ORIGINS: "),
        ("THIGH_TRIAGE_CORS_ORIGINS", "*,https://app.example", "THIGH_TRIAGE_CORS_ORIGINS: '*'"),
        ("THIGH_TRIAGE_API_KEY", API_KEY, "Unknown setting(s) THIGH_TRIAGE_API_KEY"),
        ("THIGH_TRIAGE_PUBLIC_URL", "triage.example", "THIGH_TRIAGE_PUBLIC_URL: "),
        ("THIGH_TRIAGE_PUBLIC_URL", "https://t.example/?x=1", "THIGH_TRIAGE_PUBLIC_URL: "),
    ],
)
def test_bad_settings_fail_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert expected in str(raised.value)


def test_error_messages_and_repr_never_show_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIGH_TRIAGE_API_KEYS", f"{API_KEY},tiny-secret")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "tiny-secret" not in str(raised.value)
    assert API_KEY not in str(raised.value)
    assert API_KEY not in repr(Settings(api_keys=frozenset({API_KEY})))


def test_the_service_refuses_to_start_on_a_bad_setting() -> None:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("THIGH_TRIAGE_")}
    env["THIGH_TRIAGE_LOG_LEVEL"] = "loud"
    done = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "SettingsError: Invalid configuration: THIGH_TRIAGE_LOG_LEVEL" in done.stderr
