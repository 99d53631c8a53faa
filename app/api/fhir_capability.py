"""The FHIR CapabilityStatement served at /fhir/metadata.

A FHIR client reads it before anything else to learn what this endpoint offers: the
generated Questionnaire (read) and the $assess operation on QuestionnaireResponse, in
JSON only. It is generated from the knowledge base, so its version and date move with it.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from app import __version__
from app.api.fhir_questionnaire import CANONICAL_URL
from app.knowledge.model import KnowledgeBase

CAPABILITY_URL = "urn:thigh-triage:capability-statement"
ASSESS_OPERATION = "urn:thigh-triage:operation:assess"
FHIR_VERSION = "4.0.1"


def build_capability_statement(kb: KnowledgeBase) -> dict[str, Any]:
    """The CapabilityStatement for `kb`, checked against the R4B model."""
    version = kb.policy.knowledge_base_version
    statement: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "url": CAPABILITY_URL,
        "version": version,
        "name": "ThighTriageCapabilityStatement",
        "title": "thigh-triage FHIR endpoint",
        "status": "active",
        "experimental": False,
        "date": kb.policy.released.isoformat(),
        "publisher": "thigh-triage",
        "description": (
            "Posterior-thigh pain triage. Read the Questionnaire, fill it in, and POST the "
            "QuestionnaireResponse to $assess for a RiskAssessment with one prediction per "
            "tissue source, the triage level and any red flags. Decision support, not a "
            "diagnosis."
        ),
        "kind": "instance",
        "software": {"name": "thigh-triage", "version": __version__},
        "implementation": {
            "description": f"thigh-triage {__version__}, knowledge base {version}",
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Send the API key in X-API-Key when the deployment requires one. Errors "
                    "are OperationOutcomes."
                ),
                "resource": [
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}],
                        "documentation": f"Only {CANONICAL_URL} (id posterior-thigh-triage).",
                    },
                    {
                        "type": "QuestionnaireResponse",
                        "operation": [
                            {
                                "name": "assess",
                                "definition": ASSESS_OPERATION,
                                "documentation": (
                                    "POST a QuestionnaireResponse to "
                                    "posterior-thigh-triage; returns a RiskAssessment."
                                ),
                            }
                        ],
                    },
                ],
            }
        ],
    }
    CapabilityStatement.model_validate(statement)
    return statement
