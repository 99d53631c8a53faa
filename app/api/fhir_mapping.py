"""QuestionnaireResponse -> TriageRequest, refusing anything that does not fit exactly.

The R4B model checks the FHIR structure (unknown elements, required linkIds, one value[x]
per answer), but it coerces values ("true" to True, 1.0 to 1). The answers are therefore
read from the submitted JSON itself, with JSON types checked per linkId, so the request
the engine sees is the one /v1/triage would see for the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from app.api.fhir_outcome import FhirError, Issue, IssueCode
from app.api.fhir_questionnaire import (
    ACTIVITY_SYSTEM,
    CANONICAL_URL,
    CATEGORY_TITLES,
    QUESTIONNAIRE_ID,
    RESPONDENT_SYSTEM,
    RESPONDENTS,
    SEX_SYSTEM,
)
from app.api.schemas import TriageRequest
from app.api.suggest import did_you_mean
from app.knowledge.model import KnowledgeBase

STATUSES = ("in-progress", "completed", "amended", "stopped")
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
# "Asked, but the person does not know": the /v1 `null`.
ASKED_UNKNOWN = ("asked-unknown", "asked-declined")
ROOT = "QuestionnaireResponse"
# A hostile body can hold thousands of errors and kilobyte-long values: report a bounded
# number of issues and echo bounded values.
MAX_ISSUES = 20
MAX_ECHOED_CHARS = 100
# The Questionnaire nests three levels of items (about a dozen JSON levels with answers and
# codings); the R4B validators recurse, and fail past about a hundred and fifty.
MAX_JSON_DEPTH = 32


def _invalid(diagnostics: str, expression: str | None = None, status: int = 422) -> FhirError:
    code: IssueCode = "structure" if status == 400 else "invalid"
    return FhirError(status, [Issue(code, diagnostics, expression)])


def _echo(value: object) -> str:
    text = repr(value)
    return text if len(text) <= MAX_ECHOED_CHARS else text[:MAX_ECHOED_CHARS] + "..."


def _expression(loc: tuple[int | str, ...]) -> str:
    path = ROOT
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def too_deep(value: object) -> bool:
    """Whether parsed JSON nests deeper than MAX_JSON_DEPTH (too deep for the R4B models).

    Iterative, so that measuring a hostile document cannot exhaust the stack either.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Iterable[object] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def has_null_property(value: object) -> bool:
    """Whether any object property is null, which FHIR JSON forbids (leave it out instead)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(child is None for child in node.values()):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def read_questionnaire_response(raw: object) -> dict[str, Any]:
    """Check that `raw` is a valid R4 QuestionnaireResponse to this Questionnaire; return it."""
    if not isinstance(raw, dict):
        raise _invalid(
            "The body must be a JSON object: a FHIR R4 QuestionnaireResponse.", None, 400
        )
    if too_deep(raw):
        raise _invalid(f"The resource nests more than {MAX_JSON_DEPTH} levels deep.", None, 400)
    if has_null_property(raw):
        raise _invalid("FHIR JSON does not allow null values: leave the property out.", None, 400)
    if raw.get("resourceType") != "QuestionnaireResponse":
        raise _invalid(
            f"Expected resourceType 'QuestionnaireResponse', got {_echo(raw.get('resourceType'))}.",
            f"{ROOT}.resourceType",
            400,
        )
    try:
        QuestionnaireResponse.model_validate(raw)
    except ValidationError as error:
        issues = [
            Issue("structure", str(e["msg"]), _expression(tuple(e["loc"])))
            for e in error.errors()[:MAX_ISSUES]
        ]
        raise FhirError(400, issues) from error
    if raw.get("status") not in STATUSES:
        raise _invalid(
            f"status must be one of {', '.join(STATUSES)}; got {_echo(raw.get('status'))}.",
            f"{ROOT}.status",
        )
    questionnaire = raw.get("questionnaire")
    if questionnaire is not None and not _is_ours(str(questionnaire)):
        raise _invalid(
            f"This response answers {_echo(questionnaire)}, not {CANONICAL_URL!r}.",
            f"{ROOT}.questionnaire",
        )
    return raw


def _is_ours(questionnaire: str) -> bool:
    # A canonical (optionally |version) or a literal reference to the Questionnaire.
    base = questionnaire.split("|", 1)[0].rstrip("/")
    return base == CANONICAL_URL or base.endswith(f"Questionnaire/{QUESTIONNAIRE_ID}")


def _items(items: list[Any] | None, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    # FHIR treats `"item": null` as absent, and the structural validation lets it through.
    for index, item in enumerate(items or []):
        where = f"{path}.item[{index}]"
        yield where, item
        yield from _items(item.get("item"), where)
        for answer_index, answer in enumerate(item.get("answer") or []):
            yield from _items(answer.get("item"), f"{where}.answer[{answer_index}]")


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "valueBoolean": (bool,),
    "valueInteger": (int,),
    "valueDecimal": (int, float),
    "valueCoding": (dict,),
}


def _value(answer: dict[str, Any], key: str, where: str) -> Any:
    present = [k for k in answer if k.startswith("value")]
    if present != [key]:
        got = present[0] if present else "no value"
        raise _invalid(f"Expected {key}, got {got}.", where)
    value = answer[key]
    # bool is an int subclass in Python, but JSON true is neither an integer nor a decimal.
    if isinstance(value, bool) != (key == "valueBoolean") or not isinstance(
        value, _JSON_TYPES[key]
    ):
        raise _invalid(f"{key} has the wrong JSON type: {_echo(value)}.", where)
    return value


def _code(answer: dict[str, Any], system: str, codes: tuple[str, ...], where: str) -> str:
    coding = _value(answer, "valueCoding", where)
    if coding.get("system", system) != system:
        raise _invalid(f"Expected a code from {system}, got {_echo(coding['system'])}.", where)
    code = coding.get("code")
    if code not in codes:
        raise _invalid(f"Unknown code {_echo(code)}; expected one of {', '.join(codes)}.", where)
    return str(code)


def _did_you_mean(word: str, vocabulary: set[str]) -> str:
    return "" if len(word) > MAX_ECHOED_CHARS else did_you_mean(word, vocabulary)


def _asked_unknown(item: dict[str, Any]) -> bool:
    return any(
        ext.get("url") == DATA_ABSENT_REASON and ext.get("valueCode") in ASKED_UNKNOWN
        for ext in item.get("extension", [])
    )


def _read(item: dict[str, Any], where: str, kb: KnowledgeBase) -> tuple[str, Any] | None:
    """The request field and value one item sets, or None when it sets nothing."""
    link_id = item["linkId"]
    answers = item.get("answer") or []
    if len(answers) > 1 and link_id != "activities":
        raise _invalid(f"linkId '{link_id}' takes one answer, got {len(answers)}.", where)
    first = f"{where}.answer[0]"
    if link_id in kb.findings:
        if answers:
            return link_id, _value(answers[0], "valueBoolean", first)
        return (link_id, None) if _asked_unknown(item) else None
    if link_id == "activities":
        return link_id, [
            _code(answer, ACTIVITY_SYSTEM, kb.activities, f"{where}.answer[{i}]")
            for i, answer in enumerate(answers)
        ]
    if not answers:
        return None
    if link_id == "age":
        return link_id, _value(answers[0], "valueInteger", first)
    if link_id == "duration_weeks":
        return link_id, float(_value(answers[0], "valueDecimal", first))
    if link_id == "sex":
        return link_id, _code(answers[0], SEX_SYSTEM, kb.sexes, first)
    return link_id, _code(answers[0], RESPONDENT_SYSTEM, RESPONDENTS, first)


def to_triage_request(response: dict[str, Any], kb: KnowledgeBase) -> TriageRequest:
    """Read a checked QuestionnaireResponse as a TriageRequest; raise FhirError if it does not fit.

    A finding item with no answer (or an empty answer list) has not been asked; one with
    the data-absent-reason extension `asked-unknown` was asked and is not known (`null`).
    """
    fields = {"age", "sex", "duration_weeks", "activities", "respondent"}
    vocabulary = fields | set(CATEGORY_TITLES) | set(kb.findings)
    request: dict[str, Any] = {"findings": {}}
    where_of: dict[str, str] = {}
    for where, item in _items(response.get("item"), ROOT):
        link_id = item["linkId"]
        if link_id not in vocabulary:
            hint = _did_you_mean(link_id, vocabulary)
            raise _invalid(f"Unknown linkId {_echo(link_id)}.{hint}", f"{where}.linkId")
        if link_id in where_of:
            raise _invalid(f"linkId '{link_id}' appears more than once.", where)
        where_of[link_id] = where
        if link_id in CATEGORY_TITLES:
            if item.get("answer"):
                raise _invalid(f"'{link_id}' is a group and takes no answer.", where)
            continue
        read = _read(item, where, kb)
        if read is not None:
            target = request["findings"] if link_id in kb.findings else request
            target[read[0]] = read[1]
    try:
        return TriageRequest.model_validate(request)
    except ValidationError as error:
        # Only range checks are left to the model (types and codes were checked above), so
        # each error is about the first answer of the item its field came from.
        issues = [
            Issue("value", str(e["msg"]), f"{where_of[str(e['loc'][0])]}.answer[0]")
            for e in error.errors()[:MAX_ISSUES]
        ]
        raise FhirError(422, issues) from error
