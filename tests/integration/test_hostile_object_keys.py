"""Object keys an agent writes with control characters in them (a NUL, a line break): the
paths recorded for their findings reach the audit trail, and the audit sink must still load
every record into PostgreSQL (whose JSONB cannot hold a NUL character). Before, one such
result made the sink fail on every run, so no record after it reached the warehouse."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.integration.test_audit import audit_records, sink
from tests.kafka_io import produce

pytestmark = pytest.mark.integration


def _result(i: int, output: dict[str, object]) -> tuple[bytes, bytes]:
    doc = {"job_id": f"job-{i}", "agent_id": "agent-1", "action": "job.support.reply",
           "tenant": "acme", "output": output}
    return f"job-{i}".encode(), json.dumps(doc).encode()


def test_keys_with_control_characters_reach_the_warehouse_without_them(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        postgres_url: str) -> None:
    start_worker(topics)
    hostile: list[dict[str, object]] = [
        {"note\u0000": "ssn 219-09-9998 on file"},
        {"rows": {"a\u0000b": {"contact": "mail ada.quill@example.org"}}},
        {"line\nbreak\t\"quoted\\": "ssn 219-09-9998"},
    ]
    plain: list[dict[str, object]] = [{"note": f"customer {i} mailed bob{i}@example.org"} for i in range(6)]
    produce(kafka_bootstrap, topics.inputs[0],
            [_result(i, output) for i, output in enumerate(hostile + plain)])
    records = audit_records(kafka_bootstrap, topics, len(hostile) + len(plain))
    paths = [finding["path"] for r in records for finding in r.json()["payload"]["findings"]]
    assert paths and not any("\u0000" in p or "\n" in p for p in paths), paths

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        schema = f"t{uuid.uuid4().hex[:8]}"
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{postgres_url}?options=-csearch_path%3D{schema}"
    assert sink(kafka_bootstrap, topics, "--postgres", url).startswith(
        f"read {len(records)}; inserted {len(records)};")
    with psycopg.connect(url) as conn:
        stored = conn.execute("SELECT count(*) FROM afterguard_audit").fetchone()
    assert stored == (len(records),)
