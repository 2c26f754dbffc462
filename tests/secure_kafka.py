"""A secure local broker for the session (`afterguard kafka start --secure`: SASL_SSL, SCRAM
users, a CA of its own, mutual TLS, Kafka's authorizer) and per-test topics with Afterguard's
ACL set applied, so components run under their own principals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from streams import broker
from streams.broker.local import BrokerInfo
from streams.cli import main
from streams.config import Topics, topic_env
from streams.kafka_connection import KafkaConnection
from tests.conftest import DISPOSABLE_BROKER_STOP_S


@pytest.fixture(scope="session")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrokerInfo]:
    state_dir = tmp_path_factory.mktemp("kafka-secure")
    info = broker.start(state_dir, secure_mode=True)
    try:
        yield info
    finally:  # its state is thrown away (tests/conftest.py)
        broker.stop(state_dir, timeout=DISPOSABLE_BROKER_STOP_S)


@dataclass(frozen=True)
class SecureCluster:
    """One test's view of the secure broker: its topics and app id, ACLs applied."""

    info: BrokerInfo
    topics: Topics
    app_id: str

    @property
    def sink_group(self) -> str:
        return f"{self.app_id}-audit-sink"

    def env(self, principal: str, mechanism: str = "SCRAM-SHA-512") -> dict[str, str]:
        """What a component of this principal runs with: KAFKA_* (no secret) and the topics."""
        return {**self.info.secure_files.client_env(principal, self.info.bootstrap_servers,
                                                    mechanism),
                "AFTERGUARD_APP_ID": self.app_id, "AFTERGUARD_CREATE_TOPICS": "false",
                **topic_env(self.topics)}

    def connection(self, principal: str, mechanism: str = "SCRAM-SHA-512") -> KafkaConnection:
        return self.info.secure_files.connection(principal, self.info.bootstrap_servers,
                                                 mechanism)


def _cluster(secure_broker: BrokerInfo) -> SecureCluster:
    prefix = f"s{uuid.uuid4().hex[:8]}"
    topics = Topics(inputs=(f"{prefix}.agent.actions",), released=f"{prefix}.released",
                    quarantine=f"{prefix}.quarantine", review=f"{prefix}.review",
                    audit=f"{prefix}.audit", deadletter=f"{prefix}.deadletter",
                    verdicts=f"{prefix}.review.verdicts", review_audit=f"{prefix}.audit.review",
                    autonomy=f"{prefix}.autonomy", autonomy_audit=f"{prefix}.audit.autonomy")
    return SecureCluster(secure_broker, topics, f"afterguard-{prefix}")


@pytest.fixture
def secure_login(secure_broker: BrokerInfo) -> SecureCluster:
    """The secure broker's settings for a test that stops at the connection (a refused login
    or certificate) and so reaches no topic: no ACLs applied (that takes 5-8 s a test)."""
    return _cluster(secure_broker)


@pytest.fixture
def secure_cluster(secure_broker: BrokerInfo) -> SecureCluster:
    cluster = _cluster(secure_broker)
    # as an operator would: the admin's settings, then `afterguard kafka acls --apply`
    applied = CliRunner().invoke(main, ["kafka", "acls", "--apply", "--sink-group",
                                        cluster.sink_group], env=cluster.env("admin"))
    assert applied.exit_code == 0, applied.output
    assert "ACLs created for 5 principals" in applied.output
    return cluster

