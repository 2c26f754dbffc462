"""Afterguard over a secured Kafka: SASL_SSL with SCRAM and mutual TLS, one principal per
component, Kafka's authorizer with Afterguard's ACL set (`afterguard kafka acls`).

The whole pipeline runs end to end as its own principals; an agent can write its input topic
and nothing else; a wrong password or an untrusted certificate stops a process with a message
naming the setting."""

from __future__ import annotations

import asyncio
import json
import secrets
import shlex
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError
from click.testing import CliRunner

from streams.broker.certificates import make_certificates
from streams.broker.local import jar_dir
from streams.cli import main
from streams.config import load_kafka_connection
from streams.kafka_check import KafkaSecurityError, check_connection
from streams.kafka_connection import KafkaConnection
from streams.review.auth.tokens import TokenStore
from streams.worker.process import WorkerProcess
from tests.conftest import SAMPLING_KEY
from tests.kafka_io import collect, produce
from tests.review_service import ReviewerClients, ReviewService, free_port, write_policy
from tests.secure_kafka import SecureCluster

pytestmark = pytest.mark.integration

TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"


def result(job_id: str, output: Any) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({"job_id": job_id, "agent_id": "agent-a",
                                        "action": "job.ops.run", "output": output}).encode()


def write_denied(kafka: KafkaConnection, topic: str) -> bool:
    """True when the broker refuses this principal a write to the topic."""
    try:
        produce(kafka, topic, [(b"k", b'{"forged": true}')])
    except TopicAuthorizationFailedError:
        return True
    return False


def read_denied(kafka: KafkaConnection, topic: str) -> bool:
    async def read() -> None:
        consumer = kafka.consumer(topic, group_id=None, auto_offset_reset="earliest")
        await consumer.start()
        try:
            await consumer.getmany(timeout_ms=3000)
        finally:
            await consumer.stop()

    try:
        asyncio.run(read())
    except (TopicAuthorizationFailedError, GroupAuthorizationFailedError):
        return True
    return False


def test_an_agent_writes_its_input_topic_and_nothing_else(secure_cluster: SecureCluster) -> None:
    t = secure_cluster.topics
    agent = secure_cluster.connection("agent", mechanism="PLAIN")
    assert not write_denied(agent, t.inputs[0]), "the agent's own input topic"
    for topic in (t.quarantine, t.review, t.verdicts, t.autonomy, t.audit, t.review_audit,
                  t.autonomy_audit, t.released, t.deadletter):
        assert write_denied(agent, topic), f"an agent wrote to {topic}"
    assert read_denied(agent, t.quarantine), "an agent read the quarantined outputs"
    # The other components are confined to their own outputs too.
    assert write_denied(secure_cluster.connection("worker"), t.verdicts)
    assert write_denied(secure_cluster.connection("review"), t.audit)
    assert write_denied(secure_cluster.connection("autonomy"), t.review)
    assert write_denied(secure_cluster.connection("sink"), t.audit)
    assert read_denied(secure_cluster.connection("sink"), t.quarantine)


def start(cluster: SecureCluster, principal: str, command: tuple[str, ...], log: Path,
          mechanism: str = "SCRAM-SHA-512", **env: str) -> WorkerProcess:
    return WorkerProcess({**cluster.env(principal, mechanism), **env}, log, command)


def test_the_pipeline_runs_end_to_end_over_sasl_ssl_under_its_acls(
        secure_cluster: SecureCluster, tmp_path: Path, hash_key_file: Path) -> None:
    t, cluster = secure_cluster.topics, secure_cluster
    policy = write_policy(tmp_path)
    common = {"AFTERGUARD_HASH_KEY_FILE": str(hash_key_file), "AFTERGUARD_POLICY": str(policy),
              "AFTERGUARD_SAMPLING_KEY": SAMPLING_KEY}
    port, tokens = free_port(), tmp_path / "review-tokens.json"
    processes = [
        start(cluster, "worker", ("worker",), tmp_path / "worker.log",
              AFTERGUARD_DATA_DIR=str(tmp_path / "worker"), **common),
        start(cluster, "review", ("review", "serve"), tmp_path / "review.log", "SCRAM-SHA-256",
              AFTERGUARD_DATA_DIR=str(tmp_path / "review"), AFTERGUARD_REVIEW_PORT=str(port),
              AFTERGUARD_REVIEW_TICK_S="0.5", AFTERGUARD_REVIEW_TOKENS_FILE=str(tokens),
              **common),
        start(cluster, "autonomy", ("autonomy", "serve"), tmp_path / "scorer.log",
              AFTERGUARD_DATA_DIR=str(tmp_path / "scorer"), **common),
    ]
    try:
        for process in processes:
            process.wait_ready()
        reviewers = ReviewerClients(f"http://127.0.0.1:{port}", TokenStore(tokens),
                                    ["security-team"])
        review = ReviewService(processes[1], reviewers, {})
        review.wait_ready()
        agent = cluster.connection("agent")
        produce(agent, t.inputs[0], [result("clean-1", {"orders": 3}),
                                     result("key-1", {"log": f"token {TOKEN}"})])

        deadline, claimed = time.monotonic() + 90, []
        while not claimed and time.monotonic() < deadline:
            claimed = review.client.pull("security-team", "sam")["claimed"]
            time.sleep(0.3)
        assert claimed, f"no review item reached the review service:\n" \
                        f"{processes[1].log_text()[-2000:]}"
        item_id = claimed[0]["entry_id"]
        assert review.client.decide(item_id, "approve", "sam")["released"] is True

        admin = cluster.connection("admin")
        seen = collect(admin, [t.released, t.quarantine, t.verdicts, t.audit, t.review_audit,
                               t.autonomy], timeout=90, done=lambda s: (
            len(s[t.released]) >= 2 and len(s[t.verdicts]) >= 1
            and len(s[t.review_audit]) >= 1 and any(
                json.loads(r.value).get("totals", {}).get("reviews") == 1
                for r in s[t.autonomy])))
        released = {r.json()["job_id"]: r.json() for r in seen[t.released]}
        assert set(released) == {"clean-1", "key-1"}, "the clean result, and the approved one"
        assert [r.json()["job_id"] for r in seen[t.quarantine]] == ["key-1"]
        assert [r.json()["approver_id"] for r in seen[t.verdicts]] == ["sam"]
        assert any(r.json().get("totals", {}).get("reviews") == 1 for r in seen[t.autonomy]), \
            "the autonomy scorer counted the verdict"
    finally:
        for process in processes:
            process.stop()

    sink_env = cluster.env("sink")
    database = tmp_path / "audit.duckdb"
    loaded = CliRunner().invoke(main, [
        "audit", "sink", "--stop-at-end", "--topic", f"{t.audit},{t.review_audit}",
        "--duckdb", str(database), "--parquet-dir", str(tmp_path / "pq"),
        "--group", cluster.sink_group], env=sink_env)
    assert loaded.exit_code == 0, loaded.output
    assert "table holds 3 rows" in loaded.output, loaded.output  # 2 decisions, 1 verdict
    verified = CliRunner().invoke(main, ["audit", "verify", "--topic", t.audit],
                                  env=cluster.env("sink"))
    assert verified.exit_code == 0 and "every chain intact" in verified.output, verified.output


def test_a_wrong_password_stops_the_worker_naming_the_setting(
        secure_login: SecureCluster, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.password"
    wrong.write_text("not-the-password")
    env = {**secure_login.env("worker"), "KAFKA_SASL_PASSWORD_FILE": str(wrong),
           "AFTERGUARD_DATA_DIR": str(tmp_path / "worker"), "AFTERGUARD_SAMPLING_KEY": secrets.token_hex(32)}
    worker = WorkerProcess(env, tmp_path / "worker.log")
    assert worker.proc.wait(120) != 0
    worker.stop()
    log = worker.log_text()
    assert "KAFKA_SASL_PASSWORD_FILE" in log and "refused the SCRAM-SHA-512 login" in log, log
    assert "not-the-password" not in log


def test_an_untrusted_broker_certificate_stops_a_command_naming_the_setting(
        secure_login: SecureCluster, tmp_path: Path) -> None:
    other_ca = make_certificates(tmp_path / "other").ca_cert
    env = {**secure_login.env("sink"), "KAFKA_SSL_CA_FILE": str(other_ca)}
    refused = CliRunner().invoke(main, ["audit", "verify", "--topic",
                                        secure_login.topics.audit], env=env)
    assert refused.exit_code == 1
    assert "KAFKA_SSL_CA_FILE" in refused.output and "is not trusted" in refused.output
    no_client_cert = {k: v for k, v in secure_login.env("sink").items()
                      if k not in ("KAFKA_SSL_CERT_FILE", "KAFKA_SSL_KEY_FILE")}
    refused = CliRunner().invoke(main, ["audit", "verify", "--topic",
                                        secure_login.topics.audit], env=no_client_cert)
    assert refused.exit_code == 1 and "KAFKA_SSL_CERT_FILE" in refused.output, refused.output


def kafka_tool(cluster: SecureCluster, main_class: str,
               *arguments: str) -> subprocess.CompletedProcess[str]:
    """One of Kafka's own command-line tools (from the broker's jars)."""
    return subprocess.run(
        [shutil.which("java") or "java", "-cp", f"{jar_dir()}/*",
         f"-Dlog4j.configuration=file:{cluster.info.state_dir / 'log4j.properties'}",
         main_class, *arguments], capture_output=True, text=True, timeout=180, check=False)


def test_kafka_tools_connect_with_the_written_properties(secure_cluster: SecureCluster) -> None:
    """`<principal>.properties` works for Kafka's own tools (mutual TLS with the PEM keystore,
    SCRAM login): as admin, the tool lists every component's SCRAM credentials; and a command
    `kafka acls --print` shows applies with Kafka's own kafka-acls."""
    files = secure_cluster.info.secure_files
    admin = str(files.properties_file("admin"))
    described = kafka_tool(secure_cluster, "kafka.admin.ConfigCommand", "--bootstrap-server",
                           secure_cluster.info.bootstrap_servers, "--command-config", admin,
                           "--describe", "--entity-type", "users")
    assert described.returncode == 0, described.stderr[-2000:]
    lines = {line.split("'")[1]: line for line in described.stdout.splitlines()
             if line.startswith("SCRAM credential configs for user-principal '")}
    for component in ("agent", "worker", "review", "autonomy", "sink"):
        assert "SCRAM-SHA-256=iterations=4096" in lines.get(component, ""), described.stdout
        assert "SCRAM-SHA-512=iterations=4096" in lines[component], described.stdout

    topic = secure_cluster.topics.inputs[0]
    sink = secure_cluster.connection("sink")
    assert write_denied(sink, topic)
    printed = CliRunner().invoke(main, ["kafka", "acls", "--print", "--principal",
                                        "agent=User:sink"], env=secure_cluster.env("admin"))
    [command] = [line for line in printed.output.splitlines()
                 if line.startswith("kafka-acls.sh") and f"--topic '{topic}'" in line
                 and "User:sink" in line and "Write" in line]
    arguments = shlex.split(command.replace("$KAFKA_BOOTSTRAP_SERVERS",
                                            secure_cluster.info.bootstrap_servers)
                            .replace("admin.properties", admin))[1:]
    added = kafka_tool(secure_cluster, "kafka.admin.AclCommand", *arguments)
    assert added.returncode == 0, added.stderr[-2000:]
    assert not write_denied(sink, topic), "the printed ACL, applied with kafka-acls, took effect"


def test_a_broker_certificate_for_another_host_is_refused_naming_the_setting(
        secure_login: SecureCluster) -> None:
    """Hostname verification: reached as 127.0.0.2 (a relay to the broker), the broker's
    certificate (localhost, 127.0.0.1) does not name the host; with the check off it passes."""
    target = secure_login.info.port

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            finally:
                sink.close()

        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer),
                             return_exceptions=True)

    async def check(**env: str) -> str | None:
        server = await asyncio.start_server(relay, "127.0.0.2", 0)
        port = server.sockets[0].getsockname()[1]
        settings = {**secure_login.env("sink"), "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.2:{port}",
                    **env}
        try:
            await check_connection(load_kafka_connection(settings))
            return None
        except KafkaSecurityError as exc:
            return str(exc)
        finally:
            server.close()

    refused = asyncio.run(check())
    assert refused is not None and refused.startswith("KAFKA_SSL_CHECK_HOSTNAME:"), refused
    assert asyncio.run(check(KAFKA_SSL_CHECK_HOSTNAME="false")) is None
