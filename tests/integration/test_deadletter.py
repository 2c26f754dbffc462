"""Dead letters through a real broker: the worker seals the rejected bytes (nothing readable on
the dead-letter topic), `afterguard deadletter list|show|replay` lists them, opens them with the
dead-letter key and publishes chosen records again to their input topic."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from streams.cli import main
from streams.config import Topics, topic_env
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, produce

pytestmark = pytest.mark.integration

SSN = "457-55-5462"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DEEP = ('{"job_id": "deep-1", "agent_id": "a", "action": "job.x", "output": {"ssn": "' + SSN
        + '", "x": ' + "[" * 3000 + "]" * 3000 + "}}").encode()
BROKEN = b'{"job_id": "broken-1", "output": "aws_secret_access_key=' + AWS_SECRET.encode() + b'"'
VALID = json.dumps({"job_id": "ok-1", "agent_id": "a", "action": "job.x", "output": "fine"})


def test_dead_letters_are_sealed_listed_shown_and_replayed(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    key_file = tmp_path / "deadletter.key"
    key_file.write_text(secrets.token_hex(32))
    start_worker(topics, AFTERGUARD_DEADLETTER_KEY_FILE=str(key_file))
    produce(kafka_bootstrap, topics.inputs[0],
            [(b"deep-1", DEEP), (f"ssn {SSN}".encode(), BROKEN), (b"ok-1", VALID.encode())])
    seen = collect(kafka_bootstrap, [topics.deadletter, topics.released],
                   done=lambda s: len(s[topics.deadletter]) >= 2 and len(s[topics.released]) >= 1)
    letters = seen[topics.deadletter]
    assert len(letters) == 2
    on_the_topic = b"".join((r.key or b"") + r.value for r in letters)
    assert SSN.encode() not in on_the_topic and AWS_SECRET.encode() not in on_the_topic

    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, **topic_env(topics),
           "AFTERGUARD_DEADLETTER_KEY_FILE": str(key_file)}
    listed = CliRunner().invoke(main, ["deadletter", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = {row["error"]: row for row in map(json.loads, listed.output.splitlines())}
    assert set(rows) == {"too_deep", "not_json"}
    assert rows["too_deep"]["sealed_with"].startswith("dlk-")
    assert SSN not in listed.output and AWS_SECRET not in listed.output

    shown = CliRunner().invoke(main, ["deadletter", "show", rows["not_json"]["id"]], env=env)
    assert shown.exit_code == 0, shown.output
    opened = json.loads(shown.output)
    assert opened["value"] == BROKEN.decode() and opened["key"] == f"ssn {SSN}"

    without_key = {k: v for k, v in env.items() if k != "AFTERGUARD_DEADLETTER_KEY_FILE"}
    refused = CliRunner().invoke(main, ["deadletter", "replay", rows["too_deep"]["id"]],
                                 env=without_key)
    assert refused.exit_code == 1 and "configure the dead-letter key" in refused.output

    replayed = CliRunner().invoke(main, ["deadletter", "replay", rows["too_deep"]["id"]],
                                  env=env)
    assert replayed.exit_code == 0, replayed.output
    again = collect(kafka_bootstrap, [topics.inputs[0], topics.deadletter],
                    done=lambda s: len(s[topics.inputs[0]]) >= 4
                    and len(s[topics.deadletter]) >= 3)
    republished = [r for r in again[topics.inputs[0]] if r.value == DEEP]
    assert len(republished) == 2 and republished[-1].key == b"deep-1"
    sources = [r.json()["source"]["offset"] for r in again[topics.deadletter]
               if r.json()["error"] == "too_deep"]
    assert len(sources) == 2, "the worker decided the replayed record anew"
