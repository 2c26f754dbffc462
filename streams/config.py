"""Worker configuration: one frozen settings object, read from the environment once.

Every setting has an environment variable (listed in `ENV`); errors name the variable.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from policies import HashKey, shipped_policy_path
from streams.broker.local import afterguard_home
from streams.deadletter.sealing import DeadLetterKey
from streams.kafka_connection import KAFKA_ENV, KafkaConnection
from streams.registry.settings import RegistrySettings
from streams.signing import RecordSigner, RecordVerifier, load_signing_key, load_trusted_keys
from streams.signing.key_files import WeakKey, key_material, read_key_file, write_new_key_file

if TYPE_CHECKING:
    from streams.audit.signatures import AuditSignatures

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """Invalid configuration; the message names the environment variable."""


class Topics(BaseModel):
    model_config = ConfigDict(frozen=True)

    inputs: tuple[str, ...] = Field(default=("agent.actions",), min_length=1)
    released: str = "afterguard.released"
    quarantine: str = "afterguard.quarantine"
    review: str = "afterguard.review"
    audit: str = "afterguard.audit"
    deadletter: str = "afterguard.deadletter"
    verdicts: str = "afterguard.review.verdicts"
    # The review service's audit events (verdicts, escalations): their own hash chains with the
    # review service as the only writer, so the worker's audit partitions keep one writer each.
    review_audit: str = "afterguard.audit.review"
    # Autonomy levels per (agent, action class), compacted; written by the autonomy scorer,
    # followed by every worker (the sampler reviews all results of level-0 agents).
    autonomy: str = "afterguard.autonomy"
    # The autonomy scorer's audit events (autonomy changes): its own hash chains, one writer.
    autonomy_audit: str = "afterguard.audit.autonomy"
    # Signed checkpoints of the audit chains' heads, written by the audit sink (one writer).
    audit_checkpoints: str = "afterguard.audit.checkpoints"

    @field_validator("inputs", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    @property
    def first_seen_topic(self) -> str:
        """The compacted topic of (agent, action) pairs already seen (state, not an output)."""
        return f"{self.app_id}-first-seen"

    @property
    def job_ids_topic(self) -> str:
        """The topic of job ids already decided and their job_hash (state, not an output)."""
        return f"{self.app_id}-job-ids"

    @property
    def autonomy_events_topic(self) -> str:
        """The autonomy scorer's repartition topic (also where `autonomy approve` sends
        sign-offs)."""
        return f"{self.app_id}-autonomy-events"

    @property
    def autonomy_state_topic(self) -> str:
        """Each pair's full scorer state (compacted), written in the scorer's transactions."""
        return f"{self.app_id}-autonomy-state"

    def all_topics(self) -> list[str]:
        t = self.topics
        return [*t.inputs, t.released, t.quarantine, t.review, t.audit, t.deadletter,
                t.verdicts, t.review_audit, t.autonomy, t.autonomy_audit]

    @property
    def review_app_id(self) -> str:
        """The review queue service's own faust app (consumer group and table changelogs)."""
        return f"{self.app_id}-review"

    kafka: KafkaConnection = KafkaConnection()
    app_id: str = Field(default="afterguard", pattern=r"^[A-Za-z0-9._-]+$")
    topics: Topics = Topics()
    policy_path: Path = Field(default_factory=lambda: shipped_policy_path("default"))
    worker_id: str = Field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    hash_key_file: Path | None = None
    # This service's Ed25519 key, and the public keys records are verified with (streams.signing)
    signing_key_file: Path | None = None
    trusted_keys_file: Path | None = None
    # unsigned worker audit records accepted below these offsets (streams/audit/signatures.py)
    audit_unsigned_before: str = ""
    batch_size: int = Field(default=200, ge=1, le=10_000)
    batch_within_s: float = Field(default=0.01, gt=0, le=10)
    create_topics: bool = True
    topic_partitions: int = Field(default=3, ge=1, le=1000)
    web_enabled: bool = False
    web_port: int = Field(default=6066, ge=1, le=65535)
    data_dir: Path = Field(default_factory=lambda: afterguard_home() / "worker")
    review_port: int = Field(default=6067, ge=1, le=65535)
    # Loopback by default; reviewers sign in with OIDC or API tokens (docs/review.md).
    review_host: str = Field(default="127.0.0.1", min_length=1)
    review_tick_s: float = Field(default=5.0, gt=0, le=3600)
    # The dead-letter key (64 hex characters): from this file, else from the environment
    # variable named here. None found: dead letters keep no bytes (docs/security.md, part 7).
    deadletter_key_file: Path | None = None
    deadletter_key_env: str = Field(default="AFTERGUARD_DEADLETTER_KEY",
                                    pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    # How many recent job ids each worker remembers to flag a reused one (streams/worker/job_ids.py)
    job_id_memory: int = Field(default=200_000, ge=1_000, le=10_000_000)
    # How long the job-ids state topic keeps a sighting (cleanup.policy=compact,delete)
    job_id_retention_hours: float = Field(default=168.0, gt=0, le=24 * 365)
    # Recovery after a worker dies: the group notices a silent member after the session timeout
    # (the broker's group.min.session.timeout.ms, 6 s by default, is the floor).
    session_timeout_ms: int = Field(default=10_000, ge=1_000, le=300_000)
    heartbeat_interval_ms: int = Field(default=1_000, ge=100, le=60_000)
    # Static group membership (KIP-345): a worker restarted under the same instance id takes its
    # partitions back at once, without a rebalance or waiting out the session. Give each worker
    # slot a stable name (e.g. the pod name); unset: dynamic membership.
    group_instance_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]+$")
    # An open transaction of a worker that died blocks read_committed consumers of the
    # partitions it wrote until the next owner fences it, or at most this long.
    transaction_timeout_ms: int = Field(default=10_000, ge=1_000, le=900_000)
    # How often the brokers look for transactions older than their timeout to abort them
    # (`transaction.abort.timed.out.transaction.cleanup.interval.ms`): a transaction that does
    # not end is given up after the timeout and two such looks (streams.transactional, which
    # reads the variable itself; validated here with the rest).
    broker_abort_interval_ms: int = Field(default=10_000, ge=100, le=3_600_000)
    # The producer's request limit; every output is also sized against its topic's
    # max.message.bytes, whichever is smaller.
    max_request_bytes: int = Field(default=16 * 1024 * 1024, ge=65_536, le=1_073_741_824)
    # Repeated warnings (a broker outage) are logged once per interval with a count.
    log_repeat_interval_s: float = Field(default=10.0, ge=0, le=3600)
    # Prometheus metrics and the liveness/readiness endpoints of each long-running service
    # (docs/operations.md): on loopback by default; no port set: the service's own default
    # (streams.metrics.server.DEFAULT_PORTS); 0: any free port (logged at start).
    metrics_enabled: bool = True
    metrics_host: str = Field(default="127.0.0.1", min_length=1)
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    # Live while the service's loop made progress within this many seconds.
    liveness_stall_s: float = Field(default=300.0, gt=0, le=86_400)
    # `text` (default) or `json`: one JSON event per line (streams/logs)
    log_format: Literal["text", "json"] = "text"
    # A schema registry for input framed in its wire format (docs/schema-registry.md)
    schema_registry: RegistrySettings = RegistrySettings()

    def deadletter_key(self) -> DeadLetterKey | None:
        """The key that seals dead letters, or None when none is configured."""
        if self.deadletter_key_file is not None:
            try:
                text = self.deadletter_key_file.read_text()
            except OSError as exc:
                raise ConfigError(f"AFTERGUARD_DEADLETTER_KEY_FILE: {self.deadletter_key_file}: "
                                  f"{exc.strerror}") from None
            where = "AFTERGUARD_DEADLETTER_KEY_FILE"
        elif os.environ.get(self.deadletter_key_env):
            text, where = os.environ[self.deadletter_key_env], self.deadletter_key_env
        else:
            return None
        try:
            return DeadLetterKey.from_hex(text)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None

    def hash_key(self) -> HashKey:
        """The key for keyed hashes; generated once per machine when none is configured."""
        path = self.hash_key_file or afterguard_home() / "keys" / "hash.key"
        if self.hash_key_file is None:
            log.warning("AFTERGUARD_HASH_KEY_FILE is not set: using this machine's own key %s; "
                        "workers on other machines would make other hash tokens, so give "
                        "every worker the same key file", path)
        if not path.exists():
            if self.hash_key_file is not None:
                raise ConfigError(f"AFTERGUARD_HASH_KEY_FILE: {path} does not exist")
            write_new_key_file(path, secrets.token_hex(32))
        try:
            secret = read_key_file(path, "AFTERGUARD_HASH_KEY_FILE").strip()
            key_material(secret, f"AFTERGUARD_HASH_KEY_FILE {path}")
        except WeakKey as exc:
            raise ConfigError(str(exc)) from None
        return HashKey.from_secret(secret.encode())

    def signer(self, service: str) -> RecordSigner:
        """This service's record signer (AFTERGUARD_SIGNING_KEY_FILE)."""
        try:
            return RecordSigner(load_signing_key(service, self.signing_key_file,
                                                 afterguard_home()))
        except ValueError as exc:
            raise ConfigError(f"AFTERGUARD_SIGNING_KEY_FILE: {exc}") from None

    def audit_signatures(self, verifier: RecordVerifier | None = None) -> AuditSignatures:
        """The check of each audit topic's writer's signatures (streams/audit/signatures)."""
        from streams.audit.signatures import AuditSignatures, unsigned_before
        try:
            below = unsigned_before(self.audit_unsigned_before)
        except ValueError as exc:
            raise ConfigError(f"AFTERGUARD_AUDIT_UNSIGNED_BEFORE: {exc}") from None
        return AuditSignatures(verifier or self.verifier(), [self.topics.review_audit],
                               [self.topics.autonomy_audit], below)

    def verifier(self) -> RecordVerifier:
        """The checker of other services' records (AFTERGUARD_TRUSTED_KEYS_FILE)."""
        try:
            return RecordVerifier(load_trusted_keys(self.trusted_keys_file, afterguard_home()))
        except ValueError as exc:
            raise ConfigError(f"AFTERGUARD_TRUSTED_KEYS_FILE: {exc}") from None


# environment variable -> dotted settings field
ENV: dict[str, str] = {
    **{variable: f"kafka.{field}" for variable, field in KAFKA_ENV.items()},
    "AFTERGUARD_APP_ID": "app_id",
    "AFTERGUARD_INPUT_TOPICS": "topics.inputs",
    "AFTERGUARD_TOPIC_RELEASED": "topics.released",
    "AFTERGUARD_TOPIC_QUARANTINE": "topics.quarantine",
    "AFTERGUARD_TOPIC_REVIEW": "topics.review",
    "AFTERGUARD_TOPIC_AUDIT": "topics.audit",
    "AFTERGUARD_TOPIC_DEADLETTER": "topics.deadletter",
    "AFTERGUARD_TOPIC_VERDICTS": "topics.verdicts",
    "AFTERGUARD_TOPIC_REVIEW_AUDIT": "topics.review_audit",
    "AFTERGUARD_TOPIC_AUTONOMY": "topics.autonomy",
    "AFTERGUARD_TOPIC_AUTONOMY_AUDIT": "topics.autonomy_audit",
    "AFTERGUARD_TOPIC_AUDIT_CHECKPOINTS": "topics.audit_checkpoints",
    "AFTERGUARD_POLICY": "policy_path",
    "AFTERGUARD_WORKER_ID": "worker_id",
    "AFTERGUARD_HASH_KEY_FILE": "hash_key_file",
    "AFTERGUARD_SIGNING_KEY_FILE": "signing_key_file",
    "AFTERGUARD_TRUSTED_KEYS_FILE": "trusted_keys_file",
    "AFTERGUARD_AUDIT_UNSIGNED_BEFORE": "audit_unsigned_before",
    "AFTERGUARD_BATCH_SIZE": "batch_size",
    "AFTERGUARD_BATCH_WITHIN_S": "batch_within_s",
    "AFTERGUARD_CREATE_TOPICS": "create_topics",
    "AFTERGUARD_TOPIC_PARTITIONS": "topic_partitions",
    "AFTERGUARD_WEB_ENABLED": "web_enabled",
    "AFTERGUARD_WEB_PORT": "web_port",
    "AFTERGUARD_DATA_DIR": "data_dir",
    "AFTERGUARD_REVIEW_PORT": "review_port",
    "AFTERGUARD_REVIEW_HOST": "review_host",
    "AFTERGUARD_REVIEW_TICK_S": "review_tick_s",
    "AFTERGUARD_DEADLETTER_KEY_FILE": "deadletter_key_file",
    "AFTERGUARD_DEADLETTER_KEY_ENV": "deadletter_key_env",
    "AFTERGUARD_JOB_ID_MEMORY": "job_id_memory",
    "AFTERGUARD_JOB_ID_RETENTION_HOURS": "job_id_retention_hours",
    "AFTERGUARD_SESSION_TIMEOUT_MS": "session_timeout_ms",
    "AFTERGUARD_HEARTBEAT_INTERVAL_MS": "heartbeat_interval_ms",
    "AFTERGUARD_GROUP_INSTANCE_ID": "group_instance_id",
    "AFTERGUARD_TRANSACTION_TIMEOUT_MS": "transaction_timeout_ms",
    "AFTERGUARD_BROKER_ABORT_INTERVAL_MS": "broker_abort_interval_ms",
    "AFTERGUARD_MAX_REQUEST_BYTES": "max_request_bytes",
    "AFTERGUARD_LOG_REPEAT_INTERVAL_S": "log_repeat_interval_s",
    "AFTERGUARD_METRICS_ENABLED": "metrics_enabled",
    "AFTERGUARD_METRICS_HOST": "metrics_host",
    "AFTERGUARD_METRICS_PORT": "metrics_port",
    "AFTERGUARD_LIVENESS_STALL_S": "liveness_stall_s",
    "AFTERGUARD_LOG_FORMAT": "log_format",
    "AFTERGUARD_SCHEMA_REGISTRY_URL": "schema_registry.url",
    "AFTERGUARD_SCHEMA_REGISTRY_USERNAME": "schema_registry.username",
    "AFTERGUARD_SCHEMA_REGISTRY_PASSWORD": "schema_registry.password",
    "AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE": "schema_registry.password_file",
    "AFTERGUARD_SCHEMA_REGISTRY_CA_FILE": "schema_registry.ca_file",
    "AFTERGUARD_SCHEMA_REGISTRY_TIMEOUT_S": "schema_registry.timeout_s",
    "AFTERGUARD_SCHEMA_REGISTRY_UNKNOWN_TTL_S": "schema_registry.unknown_ttl_s",
}


def topic_env(topics: Topics) -> dict[str, str]:
    """The environment variables that configure these topics (for starting a worker)."""
    return {
        "AFTERGUARD_INPUT_TOPICS": ",".join(topics.inputs),
        "AFTERGUARD_TOPIC_RELEASED": topics.released,
        "AFTERGUARD_TOPIC_QUARANTINE": topics.quarantine,
        "AFTERGUARD_TOPIC_REVIEW": topics.review,
        "AFTERGUARD_TOPIC_AUDIT": topics.audit,
        "AFTERGUARD_TOPIC_DEADLETTER": topics.deadletter,
        "AFTERGUARD_TOPIC_VERDICTS": topics.verdicts,
        "AFTERGUARD_TOPIC_REVIEW_AUDIT": topics.review_audit,
        "AFTERGUARD_TOPIC_AUTONOMY": topics.autonomy,
        "AFTERGUARD_TOPIC_AUTONOMY_AUDIT": topics.autonomy_audit,
        "AFTERGUARD_TOPIC_AUDIT_CHECKPOINTS": topics.audit_checkpoints,
    }


def load_kafka_connection(environ: Mapping[str, str] | None = None,
                          bootstrap_servers: str | None = None) -> KafkaConnection:
    """The Kafka connection alone (for commands that need no other settings); a CLI's
    `--bootstrap` replaces KAFKA_BOOTSTRAP_SERVERS, the security settings stay."""
    environ = dict(os.environ if environ is None else environ)
    if bootstrap_servers:
        environ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap_servers
    return _validated(KafkaConnection, {variable: environ[variable] for variable in KAFKA_ENV
                                        if environ.get(variable, "") != ""}, KAFKA_ENV)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    return _validated(Settings, {variable: environ[variable] for variable in ENV
                                 if environ.get(variable, "") != ""}, ENV)


def _validated(model: type[M], given: Mapping[str, str], fields: Mapping[str, str]) -> M:
    """Validate environment values into the model; errors name the variables."""
    data: dict[str, object] = {}
    for variable, dotted in fields.items():
        if variable not in given:
            continue
        target = data
        *parents, leaf = dotted.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})  # type: ignore[assignment]
        target[leaf] = given[variable]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        by_field = {dotted: variable for variable, dotted in fields.items()}
        problems = []
        for error in exc.errors():
            dotted = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
            if error["type"] == "value_error" and dotted not in by_field:
                # a check across settings: its message names the variables itself
                problems.append(str(error["ctx"]["error"]))
            else:
                problems.append(f"{by_field.get(dotted, dotted)}: {error['msg']}")
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from None
