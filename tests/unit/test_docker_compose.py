"""docker-compose.yml and its secured variant (no Docker engine here: parse them, and check
them against what Afterguard reads and what `afterguard kafka credentials` writes)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from streams.cli import main
from streams.config import load_kafka_connection
from streams.kafka_acls import COMPONENTS
from streams.kafka_connection import KAFKA_ENV

ROOT = Path(__file__).resolve().parents[2]
MOUNT = "/etc/afterguard/kafka"
PRINCIPALS = {"afterguard": "worker", "review": "review", "autonomy": "autonomy",
              "audit-checkpoint": "sink", "kafka-acls": "admin"}


def load(name: str) -> dict[str, Any]:
    document = yaml.safe_load((ROOT / name).read_text())
    assert isinstance(document, dict)
    return document


def test_the_plain_compose_publishes_kafka_on_the_hosts_loopback_only() -> None:
    services = load("docker-compose.yml")["services"]
    published = [port for service in services.values() for port in service.get("ports", [])]
    assert published and all(port.startswith("127.0.0.1:") for port in published)


def test_the_secure_compose_runs_each_component_as_its_principal(tmp_path: Path) -> None:
    services = load("docker-compose.secure.yml")["services"]
    made = CliRunner().invoke(main, ["kafka", "credentials", str(tmp_path / "kafka-secrets"),
                                     "--hostname", "kafka"])
    assert made.exit_code == 0, made.output
    for service, principal in PRINCIPALS.items():
        env = {k: str(v) for k, v in services[service]["environment"].items()}
        assert {k for k in env if k.startswith("KAFKA_")} <= set(KAFKA_ENV), service
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert env["KAFKA_SASL_USERNAME"] == principal
        assert "KAFKA_SASL_PASSWORD" not in env, "passwords come from files"
        assert env["AFTERGUARD_CREATE_TOPICS"] == "false"
        assert f"{MOUNT}:ro" in " ".join(services[service]["volumes"])
        # the files it names are the ones `afterguard kafka credentials` makes, and they load
        local = {k: v.replace(MOUNT, str(tmp_path / "kafka-secrets")) for k, v in env.items()
                 if k.startswith("KAFKA_")}
        kafka = load_kafka_connection(local)
        assert kafka.sasl_username == principal and kafka.ssl_cert_file is not None
    assert set(PRINCIPALS.values()) - {"admin"} <= set(COMPONENTS)


def test_the_secure_broker_takes_sasl_ssl_with_mutual_tls_and_acls_only() -> None:
    env = load("docker-compose.secure.yml")["services"]["kafka"]["environment"]
    listeners = dict(pair.split(":") for pair in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
                     .split(","))
    assert set(listeners.values()) == {"SASL_SSL"}
    for listener in listeners:
        assert env[f"KAFKA_LISTENER_NAME_{listener}_SSL_CLIENT_AUTH"] == "required"
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"].endswith(".StandardAuthorizer")
    assert env["KAFKA_SUPER_USERS"] == "User:admin"
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    text = (ROOT / "docker-compose.secure.yml").read_text()
    assert all(value.startswith("${") for value in re.findall(r'password="([^"]*)"', text)), \
        "no password written into the compose file"


def test_the_plain_compose_publishes_each_services_metrics_on_the_hosts_loopback() -> None:
    services = load("docker-compose.yml")["services"]
    for service, port in (("afterguard", 9470), ("review", 9471), ("autonomy", 9472)):
        # inside the container the endpoint listens on every interface, published on loopback
        assert services[service]["environment"]["AFTERGUARD_METRICS_HOST"] == "0.0.0.0"
        assert f"127.0.0.1:{port}:{port}" in services[service]["ports"], service


def test_the_plain_compose_signs_audit_checkpoints_without_a_sink() -> None:
    """Without checkpoints a cut tail of an audit partition cannot be detected: the compose
    deployment runs the checkpoint writer over every audit topic with the audit key."""
    service = load("docker-compose.yml")["services"]["audit-checkpoint"]
    command = service["command"]
    assert command[:2] == ["audit", "checkpoint"]
    audited = command[command.index("--topic") + 1].split(",")
    assert audited == ["afterguard.audit", "afterguard.audit.review", "afterguard.audit.autonomy"]
    assert service["environment"]["AFTERGUARD_SIGNING_KEY_FILE"] == "/keys/audit.key"
    assert "127.0.0.1:9474:9474" in service["ports"]
    parsed = CliRunner().invoke(main, [*command, "--help"])
    assert parsed.exit_code == 0, parsed.output
