"""Fuzz: at least 10,000 generated hostile records, mixed with valid ones, through the pure
pipeline. Every input ends in exactly one decision (with its audit record) or one dead letter,
nothing raises, and each valid record is decided exactly as it would be alone.

Deterministic (derandomized, no example database) so CI runs the same inputs every time."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.audit.chain import AuditChain
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
POLICY = load_policy(shipped_policy_path("default"))
ENGINE = DetectorEngine()
KEY = HashKey.from_secret(b"k" * 32)
HOSTILE_PER_BATCH = 10
BATCHES = 1_000
DECIDED = {TOPICS.released, TOPICS.quarantine}
# One pipeline for every run: it holds no state between batches but its audit chain (reset per
# run) and the policy's metadata scanner, whose detectors take ~0.1 s to build. Its scan budget
# counts this thread's CPU time: on a loaded machine a valid record waiting for a core must not
# go over its budget in a batch and not alone (tests/unit/worker/test_scan_budget.py tests it).
PIPELINE = Pipeline(ENGINE, POLICY, KEY, TOPICS, "w-1", clock=time.thread_time)

VALID_OUTPUTS: list[Any] = [
    "nothing to see", {"ssn": "457-55-5462"}, {"contact": "ann@example.com", "n": [1, 2.5]},
    {"token": "AKIAIOSFODNN7EXAMPLE"}, {"card": "4111 1111 1111 1111", "internal_notes": "x"},
    [{"ip": "10.0.0.1"}, None, True], {"deep": [[[[{"phone": "+1 415 555 0100"}]]]]},
]


def envelope(job_id: str, output: str) -> bytes:
    return (f'{{"job_id": "{job_id}", "agent_id": "a", "action": "job.support.x", '
            f'"output": {output}}}').encode()


@st.composite
def valid_records(draw: st.DrawFn) -> bytes:
    output = draw(st.sampled_from(VALID_OUTPUTS))
    extras: list[dict[str, object]] = [{}, {"audience": "internal"}, {"risk_tags": ["prod"]},
                                       {"tenant": "t1", "amount_usd": 12.5}]
    extra = draw(st.sampled_from(extras))
    job = draw(st.integers(0, 10**6))
    return json.dumps({"job_id": f"v{job}", "agent_id": "a", "action": "job.support.x",
                       "output": output, **extra}).encode()


@st.composite
def deep(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(65, 6_000))
    opener = draw(st.sampled_from(["[", '{"a":', '[{"k":', "[1,"]))
    closer = {"[": "]", '{"a":': "}", '[{"k":': "}]", "[1,": "]"}[opener]
    closed = draw(st.booleans())
    inner = opener * depth + '"x"' + (closer * depth if closed else "")
    where = draw(st.sampled_from(["output", "attributes", "top"]))
    if where == "top":
        return inner.encode()
    if where == "attributes":
        return envelope("h", '"ok"')[:-1] + b', "attributes": {"x": ' + inner.encode() + b"}}"
    return envelope("h", inner)


@st.composite
def big_numbers(draw: st.DrawFn) -> bytes:
    digits = draw(st.integers(101, 6_000))
    sign = draw(st.sampled_from(["", "-"]))
    tail = draw(st.sampled_from(["", ".5", "e10", ".0e-3"]))
    number = sign + "9" * digits + tail
    return envelope("h", draw(st.sampled_from([number, f"[{number}]", f'{{"n": {number}}}'])))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid record with bytes flipped, cut or inserted."""
    data = bytearray(draw(valid_records()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["flip", "cut", "insert"]))
        if how == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.sampled_from([b"[", b"{", b'"', b"\\", b"\xff", b"\x00", b"]",
                                                b"NaN", b"1" * 200, b"\\ud800"]))
    return bytes(data)


HOSTILE = st.one_of(
    deep(), big_numbers(), mutated(),
    st.binary(max_size=120),
    st.sampled_from([b"", b"null", b"[]", b'"s"', b"1", b"{}", b"\xef\xbb\xbf{}", b"NaN",
                     envelope("h", "NaN"), envelope("h", "-Infinity"), envelope("h", "1e999"),
                     envelope("h", '"\\udc00"'), b'{"job_id": "h", "output": 1}',
                     b'{"job_id": 5, "agent_id": [], "action": {}, "output": 1}']),
    st.dictionaries(st.text(max_size=8), st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
        max_leaves=8), max_size=6).map(lambda d: json.dumps(d).encode()),
    st.builds(lambda o: envelope("h", json.dumps(o)), st.text(max_size=60)),
)

_alone: dict[bytes, list[tuple[str, bytes]]] = {}
pushed = {"hostile": 0, "valid": 0}


def run(values: list[bytes]) -> dict[int, list[tuple[str, bytes]]]:
    """Records produced per source offset. A result's decision (and review item) come just
    before its audit record, which names the source offset; dead letters name it too."""
    pipeline = PIPELINE
    pipeline.chain = AuditChain.fresh(1)  # each run's audit chain starts afresh
    raws = [RawRecord("in", 0, offset, None, value) for offset, value in enumerate(values)]
    per_offset: dict[int, list[tuple[str, bytes]]] = {n: [] for n in range(len(values))}
    pending: list[tuple[str, bytes]] = []
    for emit in pipeline.process(raws, NOW):
        if emit.topic in (TOPICS.audit, TOPICS.deadletter):
            offset = json.loads(emit.value)["source"]["offset"]
            per_offset[offset] += [*pending, (emit.topic, b"")]
            pending = []
        else:
            pending.append((emit.topic, emit.value))
    assert not pending, "a decision without its audit record"
    return per_offset


def placeless(decision: bytes) -> dict[str, Any]:
    """A decision without its `source` (the record's offset differs in and out of a batch)."""
    return {k: v for k, v in json.loads(decision).items() if k != "source"}


def alone(value: bytes) -> list[tuple[str, bytes]]:
    if value not in _alone:
        _alone[value] = run([value])[0]
    return _alone[value]


@settings(max_examples=BATCHES, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile=st.lists(HOSTILE, min_size=HOSTILE_PER_BATCH, max_size=HOSTILE_PER_BATCH),
       valid=st.lists(valid_records(), min_size=1, max_size=3, unique=True),
       order=st.randoms(use_true_random=False))
def check_batch(hostile: list[bytes], valid: list[bytes], order: Any) -> None:
    # Unique job ids per batch, so a decision can be traced to its input.
    valid = [v.replace(b'"job_id": "v', f'"job_id": "v{n}-'.encode(), 1)
             for n, v in enumerate(valid)]
    tagged = [(v, True) for v in valid] + [(h, False) for h in hostile]
    order.shuffle(tagged)
    values = [v for v, _ in tagged]
    produced = run(values)
    for offset, (value, is_valid) in enumerate(tagged):
        topics = sorted(topic for topic, _ in produced[offset])
        outcome_topics = [t for t in topics if t != TOPICS.review]
        assert outcome_topics in ([TOPICS.audit, TOPICS.released], [TOPICS.audit, TOPICS.quarantine],
                                  [TOPICS.deadletter]), (value[:80], topics)
        if is_valid:
            decision = [placeless(v) for t, v in produced[offset] if t in DECIDED]
            expected = [placeless(v) for t, v in alone(value) if t in DECIDED]
            assert decision == expected, value[:80]
    pushed["hostile"] += len(hostile)
    pushed["valid"] += len(valid)


def test_hostile_records_never_escape_and_never_take_valid_ones_with_them() -> None:
    check_batch()
    assert pushed["hostile"] >= 10_000
    assert pushed["valid"] >= 1_000
