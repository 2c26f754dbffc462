"""Test helpers for talking to the real broker: produce records, collect records by topic."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import MessageSizeTooLargeError

from policies.decision import job_id_in_key
from streams.broker.local import afterguard_home
from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection, plaintext
from streams.signing import RecordKind, RecordSigner, local_keyring

# A test names the session broker by its address (plain) or passes a secured connection.
Kafka = KafkaConnection | str


def connection(kafka: Kafka) -> KafkaConnection:
    return plaintext(kafka) if isinstance(kafka, str) else kafka


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()

    def json(self) -> Any:
        return json.loads(self.value)

    @property
    def job_id(self) -> str:
        """The job id of a worker's record about a result, from its key
        (`<source topic>/<job_id>`, policies.decision.result_key)."""
        return job_id_in_key(self.key)


def produce(kafka: Kafka, topic: str, records: Iterable[tuple[bytes | None, bytes]],
            sign: tuple[str, RecordKind] | None = None) -> None:
    """Produce with a plain client; `sign=(service, kind)` signs each record as that service
    of this machine does (without it, records carry no signature)."""
    signer = None if sign is None else RecordSigner(
        local_keyring(afterguard_home()).signing_key(sign[0]))

    async def run() -> None:
        producer = connection(kafka).producer(acks="all")
        await producer.start()
        try:
            for key, value in records:
                headers = None if signer is None or sign is None else signer.headers(
                    sign[1], key, value)
                await producer.send_and_wait(topic, value, key=key, headers=headers)
        finally:
            await producer.stop()

    asyncio.run(run())


def read_past(kafka: Kafka, topic: str, deadletter: str, timeout: float = 90.0) -> None:
    """Wait until a service that follows `topic` (and dead-letters the records there whose
    signature fails) has read all of it written so far: an unsigned marker record is written
    to each partition, and the service has read past everything before them once each marker
    is on the dead-letter topic."""

    async def mark() -> set[tuple[int, int]]:
        producer = connection(kafka).producer(acks="all")
        await producer.start()
        try:
            partitions = await producer.partitions_for(topic)
            sent = [await producer.send_and_wait(topic, b"{}", key=b"unsigned-marker",
                                                 partition=p) for p in sorted(partitions)]
        finally:
            await producer.stop()
        return {(m.partition, m.offset) for m in sent}

    markers = asyncio.run(mark())

    def refused(seen: dict[str, list[Record]]) -> set[tuple[int, int]]:
        sources = (r.json().get("source") or {} for r in seen[deadletter])
        return {(s["partition"], s["offset"]) for s in sources
                if s.get("topic") == topic} & markers

    seen = collect(kafka, [deadletter], done=lambda s: refused(s) == markers, timeout=timeout,
                   settle=0)
    assert refused(seen) == markers, f"{topic} was not read past {sorted(markers)}"


# A sentinel's records name it by this: `collect` leaves them out of what it returns.
SENTINEL = "collect-sentinel"


@dataclass(frozen=True)
class Drain:
    """How `collect` proves that no record (a late duplicate above all) comes after `done`:
    once `done` holds, a sentinel is written to every partition of each `inputs` topic, and
    `collect` reads on until every sentinel's output is committed on `witness` (its value
    names the sentinel). A service handles each input partition in order and commits its
    outputs with its input offsets, and it rewinds only to committed offsets, so by then every
    output of every record before the sentinels is committed: a record decided twice, a
    batch retried, a zombie's transaction that was not fenced. Then `collect` reads up to the
    end offsets taken at that moment. Cheap: one more round trip of the service, instead of a
    fixed wait that may be too short. Records naming a sentinel are left out of the result."""

    inputs: tuple[str, ...]
    witness: str
    value: Callable[[str], bytes]  # the sentinel record's value, naming the given token
    sign: tuple[str, RecordKind] | None = None


def worker_drain(inputs: Iterable[str], audit: str) -> Drain:
    """Sentinel results for the worker; its audit record is the witness."""
    return Drain(tuple(inputs), audit, lambda token: json.dumps({
        "job_id": token, "agent_id": SENTINEL, "action": "job.support.reply",
        "tenant": "acme", "output": {"note": "a sentinel"}}).encode())


def scorer_drain(verdicts: str, state_topic: str) -> Drain:
    """Sentinel verdicts (signed as the review service signs them) for the autonomy scorer;
    the scored pair's state, which lists the verdict ids it counted, is the witness."""
    def verdict(token: str) -> bytes:
        now = datetime.now(UTC).isoformat()
        return json.dumps({
            "verdict_id": token, "item_id": f"rv-{token}", "job_id": token,
            "agent_id": SENTINEL, "action": "job.support.reply", "verdict": "approve",
            "approver_id": "alice", "severity": "none", "reviewer_group": "ops-review",
            "decision": "ALLOW", "policy_snapshot": "2026.11.1:" + "ab" * 8,
            "job_hash": "sha256:" + "0" * 64, "enqueued_at": now, "decided_at": now,
            # evidence only for the identity of a source topic (never a claimed agent id)
            "source": {"topic": f"{SENTINEL}.actions", "partition": 0, "offset": 0}}).encode()
    return Drain((verdicts,), state_topic, verdict, sign=("review", RecordKind.VERDICT))


def collect(kafka: Kafka, topics: Iterable[str],
            done: Callable[[dict[str, list[Record]]], bool], timeout: float = 60.0,
            settle: float = 0.0, drain: Drain | None = None) -> dict[str, list[Record]]:
    """Read the topics from the beginning until `done(records)` holds and everything written
    (committed) by then is read too: up to the end offsets taken when `done` first held (with
    a `drain`: once the service has handled the sentinels written then, see `Drain`), so
    records committed beside the awaited ones (other partitions, other topics of the same
    transactions) are seen, extra ones included; then `settle` seconds more for records
    that may come later, or until `timeout`. Reads as a `read_committed` consumer, as
    downstream consumers of the worker's topics must."""

    async def caught_up(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
        for tp, end in ends.items():
            if await consumer.position(tp) < end:
                return False
        return True

    async def run() -> dict[str, list[Record]]:
        names = list(topics)
        read = names + ([drain.witness] if drain and drain.witness not in names else [])
        consumer = connection(kafka).consumer(*read, auto_offset_reset="earliest",
                                              enable_auto_commit=False, group_id=None,
                                              isolation_level="read_committed")
        await consumer.start()
        seen: dict[str, list[Record]] = {name: [] for name in read}
        sentinels: set[str] | None = None
        try:
            deadline = time.monotonic() + timeout
            ends: dict[TopicPartition, int] | None = None
            settle_until: float | None = None
            while time.monotonic() < deadline:
                if settle_until is not None and time.monotonic() >= settle_until:
                    break
                batches = await consumer.getmany(timeout_ms=200)
                for tp, messages in batches.items():
                    seen[tp.topic].extend(Record(m.topic, m.partition, m.offset, m.key, m.value,
                                                 tuple(m.headers or ()))
                                          for m in messages)
                if ends is None and drain is not None and sentinels is None and done(
                        _without_sentinels(seen)):
                    sentinels = await _write_sentinels(kafka, drain)
                if ends is None and (done(seen) if drain is None else sentinels is not None
                                     and _witnessed(seen[drain.witness], sentinels)):
                    ends = await consumer.end_offsets(list(consumer.assignment()))
                if (ends is not None and settle_until is None
                        and await caught_up(consumer, ends)):
                    settle_until = time.monotonic() + settle
        finally:
            await consumer.stop()
        if sentinels is not None:
            assert ends is not None, (
                f"the sentinels written once done held never showed on {drain and drain.witness}"
                f" within {timeout:.0f} s: the service did not drain its inputs")
        return {name: records for name, records in _without_sentinels(seen).items()
                if name in names}

    return asyncio.run(run())


def drained(kafka: Kafka, drain: Drain, timeout: float = 120.0) -> None:
    """Write the drain's sentinels and return once the service has handled them all: every
    output of every record before them is committed by then (see `Drain`)."""
    tokens = asyncio.run(_write_sentinels(kafka, drain))
    witnessed: list[bool] = []

    def done(seen: dict[str, list[Record]]) -> bool:
        if _witnessed(seen[drain.witness], tokens):
            witnessed.append(True)
        return bool(witnessed)

    collect(kafka, [drain.witness], done=done, timeout=timeout)
    assert witnessed, f"the sentinels never showed on {drain.witness} within {timeout:.0f} s"


def _without_sentinels(seen: dict[str, list[Record]]) -> dict[str, list[Record]]:
    mark = SENTINEL.encode()
    return {name: [r for r in records if mark not in r.value] for name, records in seen.items()}


def _witnessed(records: list[Record], sentinels: set[str]) -> bool:
    named = {token for r in records for token in sentinels if token.encode() in r.value}
    return named == sentinels


async def _write_sentinels(kafka: Kafka, drain: Drain) -> set[str]:
    """One sentinel record in every partition of the drain's inputs; their tokens."""
    signer = None if drain.sign is None else RecordSigner(
        local_keyring(afterguard_home()).signing_key(drain.sign[0]))
    producer = connection(kafka).producer(acks="all")
    await producer.start()
    tokens: set[str] = set()
    try:
        for topic in drain.inputs:
            for partition in sorted(await producer.partitions_for(topic)):
                token = f"{SENTINEL}-{uuid.uuid4().hex[:12]}"
                key, value = token.encode(), drain.value(token)
                headers = None if signer is None or drain.sign is None else signer.headers(
                    drain.sign[1], key, value)
                await producer.send_and_wait(topic, value, key=key, partition=partition,
                                             headers=headers)
                tokens.add(token)
    finally:
        await producer.stop()
    return tokens


def produce_in_transaction(kafka: Kafka,
                           records: Iterable[tuple[str, bytes | None, bytes, RecordKind | None]],
                           *, commit: bool, signed_by: str = "worker",
                           partition: int | None = None) -> None:
    """Write `(topic, key, value, kind)` records in one Kafka transaction, as the worker writes
    its outputs, then commit or abort it. A record with a `kind` is signed as that kind with
    the key of the service `signed_by`; `partition` puts every record in that partition."""
    signer = RecordSigner(local_keyring(afterguard_home()).signing_key(signed_by))

    async def run() -> None:
        producer = connection(kafka).producer(
            acks="all", enable_idempotence=True,
            transactional_id=f"test-transaction-{uuid.uuid4().hex[:8]}")
        await producer.start()
        try:
            await producer.begin_transaction()
            sent = [await producer.send(
                topic, value, key=key, partition=partition,
                headers=None if kind is None else signer.headers(kind, key, value))
                for topic, key, value, kind in records]
            await asyncio.gather(*sent)  # written (inside the transaction) before it ends
            if commit:
                await producer.commit_transaction()
            else:
                await producer.abort_transaction()
        finally:
            await producer.stop()

    asyncio.run(run())


def partitions_held_open(kafka: Kafka, topic: str) -> set[int]:
    """The partitions of `topic` whose last stable offset is behind their end: an open
    transaction there holds `read_committed` readers until it commits or is aborted."""

    count = asyncio.run(partition_counts(connection(kafka), [topic]))[topic]
    tps = [TopicPartition(topic, p) for p in range(count)]

    async def ends(isolation_level: str) -> dict[int, int]:
        consumer = connection(kafka).consumer(group_id=None, enable_auto_commit=False,
                                              isolation_level=isolation_level)
        await consumer.start()
        try:
            offsets = await consumer.end_offsets(tps)
            return {tp.partition: offset for tp, offset in offsets.items()}
        finally:
            await consumer.stop()

    stable, written = asyncio.run(ends("read_committed")), asyncio.run(ends("read_uncommitted"))
    return {p for p, end in written.items() if stable.get(p, 0) < end}


def set_max_message_bytes(kafka: Kafka, topic: str, size: int) -> None:
    """Set the topic's record size limit; return once its partition leader applies it (the
    broker reports a changed config before the leader's log takes it: a record between the
    old and the new limit, written in a transaction that is then aborted, so that no reader
    of committed records ever sees it, is refused or taken as the new limit says)."""

    async def limit() -> int:
        admin = connection(kafka).admin()
        await admin.start()
        try:
            deadline = time.monotonic() + 30
            while True:  # a topic just made may be described before its configs are
                [described] = await admin.describe_configs([ConfigResource(
                    ConfigResourceType.TOPIC, topic, configs={"max.message.bytes": None})])
                found = {c[0]: c[1] for c in described.resources[0][4]}
                if "max.message.bytes" in found:
                    return int(found["max.message.bytes"])
                assert time.monotonic() < deadline, f"{topic}: no max.message.bytes described"
                await asyncio.sleep(0.2)
        finally:
            await admin.close()

    async def alter() -> None:
        admin = connection(kafka).admin()
        await admin.start()
        try:
            [altered] = await admin.alter_configs([ConfigResource(
                ConfigResourceType.TOPIC, topic, configs={"max.message.bytes": str(size)})])
            assert all(r[0] == 0 for r in altered.resources), altered
        finally:
            await admin.close()

    async def taken(probe: bytes) -> bool:
        producer = connection(kafka).producer(
            acks="all", enable_idempotence=True, max_request_size=2 * len(probe),
            transactional_id=f"test-size-probe-{uuid.uuid4().hex[:8]}")
        await producer.start()
        try:
            await producer.begin_transaction()
            try:
                await producer.send_and_wait(topic, probe, key=b"size-probe", partition=0)
                return True
            except MessageSizeTooLargeError:
                return False
            finally:
                await producer.abort_transaction()
        finally:
            await producer.stop()

    old = asyncio.run(limit())
    asyncio.run(alter())
    if old == size:
        return
    probe = b"p" * ((old + size) // 2 - 200)  # a record batch between the two limits
    deadline = time.monotonic() + 30
    while asyncio.run(taken(probe)) != (size > old):
        assert time.monotonic() < deadline, f"{topic}: max.message.bytes {size} not applied"
        time.sleep(0.1)
