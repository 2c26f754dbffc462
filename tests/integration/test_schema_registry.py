"""Registry-framed action results through a real worker and broker: Avro and JSON Schema
payloads are decided like JSON records (their values redacted), what cannot be decoded is
dead-lettered with the reason, and a registry outage holds the records back, then they are
decided: never released unchecked, never dead-lettered for the registry's sake.

The registry is the stand-in of tests/schema_registry.py (TLS, basic auth): no registry server
could be installed here (docs/schema-registry.md, "Tests")."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import fastavro
import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import Record, collect, produce
from tests.schema_registry import StandInRegistry

pytestmark = pytest.mark.integration

AVRO_RESULT = {
    "type": "record", "name": "ActionResult", "namespace": "agents.support",
    "fields": [
        {"name": "job_id", "type": "string"}, {"name": "agent_id", "type": "string"},
        {"name": "action", "type": "string"},
        {"name": "tenant", "type": ["null", "string"], "default": None},
        {"name": "output", "type": {"type": "map", "values": "string"}}]}


def result(job_id: str, note: str) -> dict[str, Any]:
    return {"job_id": job_id, "agent_id": "agent-a", "action": "job.support.reply",
            "tenant": "acme", "output": {"note": note}}


def framed(schema_id: int, payload: bytes) -> bytes:
    return b"\x00" + schema_id.to_bytes(4, "big") + payload


def avro(datum: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(AVRO_RESULT), datum)
    return out.getvalue()


def by_job(records: list[Record]) -> dict[str, Any]:
    return {r.json()["job_id"]: r.json() for r in records if "job_id" in r.json()}


def test_framed_results_are_decided_and_an_outage_holds_them_back(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        schema_registry: StandInRegistry, tmp_path: Path) -> None:
    schema_registry.register(1, AVRO_RESULT)
    schema_registry.register(2, {"type": "object"}, "JSON")
    schema_registry.register(3, 'syntax = "proto3"; message R { string job_id = 1; }',
                             "PROTOBUF")
    password = tmp_path / "registry.password"
    password.write_text(schema_registry.password)
    start_worker(topics, AFTERGUARD_SCHEMA_REGISTRY_URL=schema_registry.url,
                 AFTERGUARD_SCHEMA_REGISTRY_USERNAME=schema_registry.username,
                 AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE=str(password),
                 AFTERGUARD_SCHEMA_REGISTRY_CA_FILE=str(schema_registry.certificates.ca_cert))
    produce(kafka_bootstrap, topics.inputs[0], [
        (b"avro-1", framed(1, avro(result("avro-1", "mail bob@example.org today")))),
        (b"json-2", framed(2, json.dumps(result("json-2", "call ann@example.org")).encode())),
        (b"plain-3", json.dumps(result("plain-3", "write to cy@example.org")).encode()),
        (b"unknown-4", framed(41, avro(result("unknown-4", "x")))),
        (b"proto-5", framed(3, b"\x00\x0a\x05job-5")),
    ])
    seen = collect(kafka_bootstrap, [topics.released, topics.audit, topics.deadletter],
                   done=lambda s: len(s[topics.audit]) >= 3 and len(s[topics.deadletter]) >= 2,
                   timeout=90)
    released = by_job(seen[topics.released])
    assert sorted(released) == ["avro-1", "json-2", "plain-3"]
    for job in released.values():
        assert job["decision"] == "REDACT"
        assert "@example.org" not in json.dumps(job["output"])
        assert "[REDACTED:EMAIL_ADDRESS]" in job["output"]["note"]
    letters = sorted((r.json()["error"], r.json()["reason"]) for r in seen[topics.deadletter])
    assert letters == [
        ("unknown_schema", "schema id 41 is not known to the schema registry"),
        ("unsupported_schema", ("schema id 3 (PROTOBUF): PROTOBUF payloads are not decoded "
                                "(JSON Schema and Avro are)"))]
    assert len(seen[topics.audit]) == 3

    # The registry goes down: a record of a schema id not seen yet waits, and nothing of it is
    # released or dead-lettered; once the registry answers again it is decided.
    schema_registry.down = True
    schema_registry.register(7, AVRO_RESULT)
    produce(kafka_bootstrap, topics.inputs[0],
            [(b"avro-6", framed(7, avro(result("avro-6", "mail dee@example.org"))))])
    # The worker has the record once it asks for the schema; asked twice, it is retrying.
    deadline = time.monotonic() + 60
    while schema_registry.requests.count("/schemas/ids/7") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    held = collect(kafka_bootstrap, [topics.released, topics.audit, topics.deadletter],
                   done=lambda s: False, timeout=2)
    assert "avro-6" not in by_job(held[topics.released] + held[topics.audit])
    assert len(held[topics.deadletter]) == 2, "the outage dead-lettered nothing"
    asked = schema_registry.requests.count("/schemas/ids/7")
    assert asked >= 2, "the worker asked again while the registry was down"
    schema_registry.down = False
    after = collect(kafka_bootstrap, [topics.released, topics.deadletter],
                    done=lambda s: "avro-6" in by_job(s[topics.released]), timeout=60)
    decided = by_job(after[topics.released])["avro-6"]
    assert decided["decision"] == "REDACT" and "dee@example.org" not in json.dumps(decided)
    assert len(after[topics.deadletter]) == 2
