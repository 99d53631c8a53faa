"""Every example in the OpenAPI document is valid against the schema it illustrates."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from app.main import app

DOCUMENT: dict[str, Any] = app.openapi()


def _examples() -> list[tuple[str, dict[str, Any], Any]]:
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    schema = content.get("schema")
                    for name, example in content.get("examples", {}).items():
                        if schema is not None and "value" in example:
                            where = f"{method.upper()} {path} {status} {media} {name}"
                            found.append((where, schema, example["value"]))
    return found


EXAMPLES = _examples()


def test_the_document_has_response_examples() -> None:
    assert any("/v1/triage" in where for where, _, _ in EXAMPLES)


@pytest.mark.parametrize(("where", "schema", "value"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_each_response_example_matches_its_schema(
    where: str, schema: dict[str, Any], value: Any
) -> None:
    root = {**schema, "components": DOCUMENT["components"]}
    jsonschema.Draft202012Validator(root).validate(value)
