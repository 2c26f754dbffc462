"""The records the worker writes are byte for byte what they were: the audit chain's hashes,
the signatures and the warehouse loaders depend on their bytes.

The worker's pure path (its own objects, fixed keys, worker id and clock) decides a fixed stream:
the demo mix with malformed records, and odd records (floats Python and orjson spell differently,
an integer past 64 bits, non-ASCII and control characters, duplicate keys, a lone surrogate,
NaN, 1E400, too deep, too many digits, a large output, an identifier that is not one), once with
the topics' default limits and once with limits small enough that outputs are withheld and dead
letters cut. The sha256 of every record written (topic, key, value, partition; the first-seen
sightings' wall-clock time masked) must be the one main wrote before the records were built from
plain values (decision, audit and review records without their pydantic models).

A change that means to change the records updates the digests here, and says so.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from policies import shipped_policy_path
from streams.audit.chain import AuditChain
from streams.config import load_settings
from streams.demo_data import generate
from streams.worker.app import Worker
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.output_limits import OutputLimits

NOW = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
_FIRST_SEEN_AT = re.compile(rb'"first_seen_at": "[^"]*"')

ODD_OUTPUTS = [
    b'{"x":1e16,"y":1e-7,"z":0.00001,"w":-0.0,"v":1.5e300,"u":0.1}',
    b'{"big":123456789012345678901234567890}',
    b'{"\\u00e9t\\u00e9":"caf\\u00e9 \\ud83d\\ude00","ctl":"a\\u0001b\\n\\t\\u2028"}',
    b'{"k":1,"k":2,"contact":"someone@example.org"}',
    b'{"s":"\\ud800 alone"}',
    b'{"n":NaN}',
    b'{"n":1E400}',
    b'[' * 300 + b']' * 300,
    b'{"n":' + b'9' * 5000 + b'}',
    b'{"card":"4111 1111 1111 1111","notes":"' + b'n' * 3000 + b'","internal_notes":"x"}',
    b'{"key":"AKIA' + b'Q' * 16 + b'","debug_trace":[1,2.5,null,true]}',
    b'"' + b"call me at 212-555-0199 or write to a.b@example.net " * 120 + b'"',
]


def odd_records() -> list[bytes]:
    records = [b'{"job_id":"odd-%d","agent_id":"agent-odd","action":"job.support.lookup",'
               b'"output":%s}' % (i, output) for i, output in enumerate(ODD_OUTPUTS)]
    records += [
        b'{"job_id":"odd-m","agent_id":"agent-odd","action":"job.billing.refund",'
        b'"tenant":"acme","risk_tags":["prod","write"],"amount_usd":1e6,"affected_users":3,'
        b'"confidence":0.5,"audience":"customer","executed_at":"2026-01-01T00:00:00+02:00",'
        b'"trace_id":"tr-1","attributes":{"k":[1,2.5]},"output":{"ok":true}}',
        b'{"job_id":"not an id","agent_id":"a","action":"job.x","output":1}',
        b'[1,2]', b'\xff\xfe', b'',
    ]
    return records


def fixed_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Worker:
    """The worker's objects with fixed keys and worker id (the default policy)."""
    (tmp_path / "hash.key").write_text(hashlib.sha256(b"golden hash key").hexdigest())
    for name, value in (("AFTERGUARD_HOME", str(tmp_path)), ("AFTERGUARD_DATA_DIR", str(tmp_path)),
                        ("AFTERGUARD_POLICY", str(shipped_policy_path("default"))),
                        ("AFTERGUARD_HASH_KEY_FILE", str(tmp_path / "hash.key")),
                        ("AFTERGUARD_SAMPLING_KEY",
                         hashlib.sha256(b"golden sampling key").hexdigest()),
                        ("AFTERGUARD_WORKER_ID", "golden-worker")):
        monkeypatch.setenv(name, value)
    return Worker(load_settings())


def written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int) -> tuple[int, str]:
    worker = fixed_worker(tmp_path, monkeypatch)
    decider = BatchDecider(worker.pipeline, worker.first_seen, OutputLimits(limit))
    raws = [RawRecord("agent.actions", i % 3, i, r.key.encode(), r.value)
            for i, r in enumerate(generate(400, "golden", seed=5, malformed_every=40))]
    raws += [RawRecord("agent.actions", i % 3, 1000 + i, f"odd-{i}".encode(), value)
             for i, value in enumerate(odd_records())]
    raws.append(RawRecord("agent.actions", 0, 2000, None, None))
    chain, digest, count = AuditChain.fresh(3), hashlib.sha256(), 0
    for start in range(0, len(raws), 100):
        outputs = [(e.topic, e.key, e.value, e.partition)
                   for e in decider.decide(raws[start:start + 100], NOW, chain)]
        outputs += [("first-seen", key, _FIRST_SEEN_AT.sub(b"", value), None)
                    for key, value in worker.first_seen.drain()]
        outputs += [("job-ids", key, value, None) for key, value in worker.job_ids.drain()]
        for output in outputs:
            digest.update(repr(output).encode())
            count += 1
    return count, digest.hexdigest()


def test_the_records_written_are_the_ones_main_wrote(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert written(tmp_path, monkeypatch, 16 << 20) == (
        1226, "caef49645ba64b8b6fe53a9326a1dbc4ea935f93af4606eae65ea9c5252a668d")


def test_the_records_written_under_small_limits_are_the_ones_main_wrote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs withheld (held for review by reference), dead letters without their value."""
    assert written(tmp_path, monkeypatch, 4096) == (
        1226, "6def9a23ff8f1a1f02e0281a78255de90ff8f3722c60e8fbaaac7dc6110cc610")


def test_the_stream_reaches_every_kind_of_record(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The digests above cover decisions of each kind, review items, withheld outputs and
    dead letters of several errors (else they would prove less than they say)."""
    worker = fixed_worker(tmp_path, monkeypatch)
    decider = BatchDecider(worker.pipeline, worker.first_seen, OutputLimits(4096))
    raws = [RawRecord("agent.actions", 0, i, None, value) for i, value in enumerate(odd_records())]
    emits = decider.decide(raws, NOW, AuditChain.fresh(1))
    documents = [(e.topic.rsplit(".", 1)[-1], json.loads(e.value)) for e in emits]
    assert {d["decision"] for t, d in documents if t in ("released", "quarantine")} == {
        "ALLOW", "REDACT", "QUARANTINE"}
    assert any(d["output_withheld"] for t, d in documents if t == "quarantine")
    assert any(t == "review" for t, _ in documents)
    assert {d["error"] for t, d in documents if t == "deadletter"} >= {
        "not_json", "not_an_object", "too_deep", "number_too_large", "invalid_record"}
