"""CDS Hooks 2.0 wire models: discovery, the hook request, cards and feedback.

Field names follow the specification (camelCase aliases). Requests ignore fields this
version does not define, so a client on a later version of the specification still
gets cards; responses leave out optional fields rather than sending null, as the
specification requires ("JSON elements SHALL NOT be null").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.api.schemas import JsonInt

REQUEST = ConfigDict(extra="ignore", populate_by_name=True)
RESPONSE = ConfigDict(extra="forbid", populate_by_name=True)


def _iso_string(value: object) -> object:
    # The specification's timestamps are ISO 8601 strings; lax parsing would also take an
    # epoch number, which the documented schema (format date-time) rejects.
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time string")
    return value


Timestamp = Annotated[AwareDatetime, BeforeValidator(_iso_string)]
# The specification asks for a one-sentence summary under 140 characters.
MAX_SUMMARY = 139


class Coding(BaseModel):
    """A CDS Hooks Coding: a code from a code system."""

    model_config = RESPONSE
    code: str
    system: str
    display: str | None = None


class Service(BaseModel):
    """One CDS Service in the discovery document."""

    model_config = RESPONSE
    hook: str = Field(description="The hook this service should be invoked on.")
    title: str | None = None
    description: str
    id: str = Field(description="The {id} in {baseUrl}/cds-services/{id}.")
    prefetch: dict[str, str] | None = Field(
        default=None, description="Prefetch key -> FHIR query template."
    )
    usage_requirements: str | None = Field(default=None, alias="usageRequirements")


class Discovery(BaseModel):
    """The discovery document at GET /cds-services."""

    model_config = RESPONSE
    services: list[Service]


class FhirAuthorization(BaseModel):
    """An OAuth 2.0 bearer token for the client's FHIR server (unused: prefetch suffices)."""

    # Strict: JSON types as the schema states them (no "3600" or true for an integer).
    model_config = ConfigDict(**REQUEST, strict=True)
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: JsonInt
    scope: str
    subject: str
    patient: str | None = None


class HookRequest(BaseModel):
    """The body of a CDS Service call."""

    # The conditional rules are in the JSON Schema too, so the documented contract is exact.
    model_config = ConfigDict(
        **REQUEST, json_schema_extra={"dependentRequired": {"fhirAuthorization": ["fhirServer"]}}
    )
    hook: str = Field(min_length=1, description="The hook that triggered this call.")
    hook_instance: str = Field(alias="hookInstance", min_length=1)
    fhir_server: str | None = Field(default=None, alias="fhirServer", pattern=r"^https?://\S+$")
    fhir_authorization: FhirAuthorization | None = Field(default=None, alias="fhirAuthorization")
    context: dict[str, Any] = Field(description="Hook-specific context, e.g. patientId.")
    prefetch: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Prefetched FHIR data; `questionnaireResponse` holds the QuestionnaireResponse "
            "or a searchset Bundle containing it."
        ),
    )
    extension: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _server_with_authorization(self) -> HookRequest:
        # Specification invariant cds-r-1: a token is useless without the server it is for.
        if self.fhir_authorization is not None and self.fhir_server is None:
            raise ValueError("fhirServer is required when fhirAuthorization is given")
        return self


class CardSource(BaseModel):
    """Where a card's guidance comes from."""

    model_config = RESPONSE
    label: str
    url: str | None = None
    topic: Coding | None = None


class Link(BaseModel):
    """A link for the user to follow for more information."""

    model_config = RESPONSE
    label: str
    url: str
    type: Literal["absolute", "smart"]


class Card(BaseModel):
    """One piece of guidance for the user."""

    model_config = RESPONSE
    uuid: str
    summary: str = Field(max_length=MAX_SUMMARY)
    detail: str | None = Field(default=None, description="GitHub Flavored Markdown.")
    indicator: Literal["info", "warning", "critical"]
    source: CardSource
    links: list[Link] | None = None


class HookResponse(BaseModel):
    """The cards for one hook call."""

    model_config = RESPONSE
    cards: list[Card]


class AcceptedSuggestion(BaseModel):
    """A suggestion the user accepted."""

    model_config = REQUEST
    id: str


class OverrideReason(BaseModel):
    """Why the user overrode a card."""

    model_config = REQUEST
    reason: Coding | None = None
    user_comment: str | None = Field(default=None, alias="userComment")


class Feedback(BaseModel):
    """What the user did with one card."""

    model_config = ConfigDict(
        **REQUEST,
        json_schema_extra={
            "if": {"properties": {"outcome": {"const": "accepted"}}},
            "then": {
                "required": ["acceptedSuggestions"],
                "properties": {"acceptedSuggestions": {"type": "array"}},
            },
        },
    )
    card: str
    outcome: Literal["accepted", "overridden"]
    accepted_suggestions: list[AcceptedSuggestion] | None = Field(
        default=None, alias="acceptedSuggestions", min_length=1
    )
    override_reason: OverrideReason | None = Field(default=None, alias="overrideReason")
    outcome_timestamp: Timestamp = Field(alias="outcomeTimestamp")

    @model_validator(mode="after")
    def _accepted_needs_suggestions(self) -> Feedback:
        if self.outcome == "accepted" and not self.accepted_suggestions:
            raise ValueError("acceptedSuggestions is required when outcome is 'accepted'")
        return self


class FeedbackRequest(BaseModel):
    """The body of a feedback call."""

    model_config = REQUEST
    feedback: list[Feedback] = Field(min_length=1)


class Acknowledged(BaseModel):
    """The empty object a feedback call gets back."""

    model_config = RESPONSE
