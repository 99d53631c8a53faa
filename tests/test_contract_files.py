"""The committed openapi/ and schemas/ files are exactly what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from app.contracts import ROOT, render


@pytest.mark.parametrize("relative", sorted(render(), key=str))
def test_committed_file_matches_generated(relative: object) -> None:
    generated = render()[relative]  # type: ignore[index]
    committed = (ROOT / str(relative)).read_text()
    assert committed == generated, f"{relative} drifted: run `make contracts` and commit"


def test_schemas_declare_draft_2020_12_and_an_id() -> None:
    for relative, content in render().items():
        if str(relative).startswith("schemas/"):
            document = json.loads(content)
            assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            assert document["$id"].startswith("urn:thigh-triage:schema:")


def test_openapi_yaml_is_the_json_document() -> None:
    files = render()
    as_yaml = yaml.safe_load(files[Path("openapi/openapi.yaml")])
    assert as_yaml == json.loads(files[Path("openapi/openapi.json")])
