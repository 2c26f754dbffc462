"""A command that reads a topic that does not exist says so and exits 2, and creates nothing.

These run against a broker of their own that creates topics on first mention, as Kafka does by
default (`auto.create.topics.enable=true`): before the fix `audit verify --topic typo.audit` printed a traceback
and the broker created the topic, so that a second run printed "OK: 0 records" and exited 0.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams import broker
from streams.kafka_admin import ensure_topics
from streams.kafka_connection import plaintext
from tests.cli_fork_server import run_cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def auto_creating_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state_dir = tmp_path_factory.mktemp("kafka-auto-create")
    info = broker.start(state_dir, auto_create_topics=True)
    try:
        yield info.bootstrap_servers
    finally:
        broker.stop(state_dir)


def afterguard(bootstrap: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_cli(args, env={"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "PATH": "/usr/bin:/bin",
                              "HOME": os.environ.get("HOME", "/tmp"), **env})


def topic_names(bootstrap: str) -> set[str]:
    async def run() -> set[str]:
        admin = plaintext(bootstrap).admin()
        await admin.start()
        try:
            return set(await admin.list_topics())
        finally:
            await admin.close()

    return asyncio.run(run())


# (command line with {missing} and {out}, environment with {missing})
READ_COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {
    "audit verify": (["audit", "verify", "--topic", "{missing}"], {}),
    "audit export": (["audit", "export", "--topic", "{missing}", "--out", "{out}"], {}),
    "audit checkpoints": (["audit", "checkpoints", "--checkpoint-topic", "{missing}",
                           "--out", "{out}"], {}),
    "sampling report": (["sampling", "report", "--topic", "{missing}"], {}),
    "audit sink": (["audit", "sink", "--topic", "{missing}", "--stop-at-end", "--no-checkpoints",
                    "--duckdb", "{out}.duckdb", "--parquet-dir", "{out}.parquet"], {}),
    "deadletter list": (["deadletter", "list"], {"AFTERGUARD_TOPIC_DEADLETTER": "{missing}"}),
    "autonomy show": (["autonomy", "show"], {"AFTERGUARD_TOPIC_AUTONOMY": "{missing}"}),
    "autonomy approve": (["autonomy", "approve", "agent-1", "--action-class", "job.support",
                          "--level", "1", "--timeout", "5"],
                         {"AFTERGUARD_TOPIC_AUTONOMY": "{missing}"}),
}


@pytest.mark.parametrize("command", sorted(READ_COMMANDS))
def test_a_missing_topic_is_an_error_and_is_not_created(auto_creating_broker: str,
                                                        tmp_path: Path, command: str) -> None:
    missing = f"typo{uuid.uuid4().hex[:8]}.audit"
    args, env = READ_COMMANDS[command]
    fill = {"missing": missing, "out": str(tmp_path / "out")}
    args = [arg.format(**fill) for arg in args]
    env = {name: value.format(**fill) for name, value in env.items()}
    # the case: a second run of `audit verify` found the topic the first one created
    for attempt in ("first", "second") if command == "audit verify" else ("first",):
        done = afterguard(auto_creating_broker, *args, **env)
        assert done.returncode == 2, f"{attempt} run: {done.stdout}{done.stderr}"
        assert f"{missing} does not exist on {auto_creating_broker}" in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert missing not in topic_names(auto_creating_broker), "reading it created the topic"
    assert not (tmp_path / "out").exists(), "nothing is written for a missing topic"


def test_verify_against_a_missing_checkpoint_topic_is_an_error(auto_creating_broker: str) -> None:
    audit = f"t{uuid.uuid4().hex[:8]}.audit"
    asyncio.run(ensure_topics(plaintext(auto_creating_broker), [audit], partitions=1))
    missing = f"{audit}.checkpoints-typo"
    done = afterguard(auto_creating_broker, "audit", "verify", "--topic", audit, "--checkpoints",
                      "--checkpoint-topic", missing)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{missing} does not exist" in done.stderr
    assert missing not in topic_names(auto_creating_broker)


def test_sampling_report_without_a_verdicts_topic_says_so_and_creates_none(
        auto_creating_broker: str) -> None:
    audit = f"t{uuid.uuid4().hex[:8]}.audit"
    asyncio.run(ensure_topics(plaintext(auto_creating_broker), [audit], partitions=1))
    verdicts = f"{audit}.verdicts-none"
    done = afterguard(auto_creating_broker, "sampling", "report", "--topic", audit,
                      "--verdicts-topic", verdicts)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"no verdicts topic {verdicts}" in done.stderr
    assert verdicts not in topic_names(auto_creating_broker)
