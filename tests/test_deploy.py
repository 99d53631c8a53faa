"""deploy/: the Kubernetes manifests validate (strict, offline) and say what operations need.

kubernetes-validate ships the Kubernetes JSON schemas in its wheel, so this needs no
network and no cluster.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_validate.utils import validate

from app.contracts import ROOT

DEPLOY = ROOT / "deploy"
# The oldest Kubernetes minor the manifests promise to work on, and the newest known.
VERSIONS = ("1.29.0", "1.37.0")
NAME = "thigh-triage"
POD_LABELS = {"app.kubernetes.io/name": NAME}


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


MANIFESTS = sorted(p for p in DEPLOY.glob("*.yaml") if p.name != "kustomization.yaml")
RESOURCES = {d["kind"]: d for p in MANIFESTS for d in _documents(p)}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_validates_strictly(path: Path, version: str) -> None:
    for document in _documents(path):
        # Raises on any schema violation or unknown field, and when no schema is found.
        validate(document, version, strict=True)


def test_the_kustomization_lists_every_manifest() -> None:
    (kustomization,) = _documents(DEPLOY / "kustomization.yaml")
    assert sorted(kustomization["resources"]) == sorted(p.name for p in MANIFESTS)


def test_every_kind_is_there() -> None:
    expected = {
        "ConfigMap",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    }
    assert set(RESOURCES) == expected


def _container() -> dict[str, Any]:
    (container,) = RESOURCES["Deployment"]["spec"]["template"]["spec"]["containers"]
    return container


def test_probes_point_at_the_health_endpoints() -> None:
    container = _container()
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in ports


def _bytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()  # type: ignore[union-attr]
    return int(number) * {"Mi": 2**20, "Gi": 2**30}[unit]


def test_resources_are_requested_and_limited() -> None:
    resources = _container()["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources[kind])
    assert _bytes(resources["limits"]["memory"]) <= 256 * 2**20
    assert _bytes(resources["requests"]["memory"]) <= _bytes(resources["limits"]["memory"])


def test_the_container_runs_locked_down() -> None:
    pod = RESOURCES["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["automountServiceAccountToken"] is False
    assert pod["enableServiceLinks"] is False
    context = _container()["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] == 10001
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]


def test_settings_come_from_the_configmap_and_keys_from_a_secret() -> None:
    container = _container()
    assert {"configMapRef": {"name": RESOURCES["ConfigMap"]["metadata"]["name"]}} in container[
        "envFrom"
    ]
    (keys,) = [e for e in container["env"] if e["name"] == "THIGH_TRIAGE_API_KEYS"]
    assert keys["valueFrom"]["secretKeyRef"]["optional"] is False
    data = RESOURCES["ConfigMap"]["data"]
    assert data["WORKERS"] == "1"
    assert "THIGH_TRIAGE_API_KEYS" not in data
    assert all(
        not name.startswith("THIGH_TRIAGE_")
        or name
        in {
            "THIGH_TRIAGE_LOG_LEVEL",
            "THIGH_TRIAGE_CORS_ORIGINS",
        }
        for name in data
    )


def test_service_hpa_and_pdb_target_the_deployment() -> None:
    deployment = RESOURCES["Deployment"]
    assert deployment["spec"]["selector"]["matchLabels"] == POD_LABELS
    assert deployment["spec"]["template"]["metadata"]["labels"] == POD_LABELS
    assert "replicas" not in deployment["spec"]
    assert RESOURCES["Service"]["spec"]["selector"] == POD_LABELS
    assert RESOURCES["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == POD_LABELS
    hpa = RESOURCES["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME}
    assert hpa["minReplicas"] >= 2
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    budget = RESOURCES["PodDisruptionBudget"]["spec"]["minAvailable"]
    assert budget < hpa["minReplicas"], "the budget must let a node drain"
