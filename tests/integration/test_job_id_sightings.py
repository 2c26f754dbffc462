"""The job-id state topic holds one signed record per batch of sightings (and, from before,
one per sighting). A worker that starts reads it back from the end until it holds its memory's
worth of job ids, counted in ids, not records, and learns only what a worker signed: a forged or
unsigned batch of sightings teaches it nothing, and does not count towards what it reads."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from streams.compacted import CompactedFollower
from streams.kafka_admin import ensure_topics
from streams.kafka_connection import KafkaConnection
from streams.signing import RecordKind, RecordSigner, RecordVerifier, SigningKey, TrustedKeys
from streams.worker.job_ids import JobIds, sighting_records, sightings_in

pytestmark = pytest.mark.integration

WORKER, REVIEW = SigningKey.generate("worker"), SigningKey.generate("review")
STRANGER = SigningKey.generate("worker")  # a worker key nobody trusts
VERIFIER = RecordVerifier(TrustedKeys.of(WORKER, REVIEW))
KIND = RecordKind.JOB_ID
Record = tuple[bytes, bytes, SigningKey | None]


def old_format(job_id: str) -> tuple[bytes, bytes]:
    """A sighting as workers wrote them before batches: one record, keyed by the job id."""
    return job_id.encode(), json.dumps({"job_id": job_id, "job_hash": "sha256:a"}).encode()


def batch(job_ids: list[str]) -> tuple[bytes, bytes]:
    [record] = sighting_records((job_id, "sha256:a") for job_id in job_ids)
    return record


async def write(kafka: KafkaConnection, topic: str, records: list[Record]) -> None:
    producer: AIOKafkaProducer = kafka.producer(acks="all")
    await producer.start()
    try:
        for key, value, signed_by in records:
            headers = None if signed_by is None else RecordSigner(signed_by).headers(KIND, key,
                                                                                      value)
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


async def restarted(kafka: KafkaConnection, topic: str, memory: int,
                    ) -> tuple[JobIds, CompactedFollower]:
    """What a worker with `memory` job ids learns at start."""
    ids = JobIds(memory)
    follower = CompactedFollower(kafka, topic, ids.learn, VERIFIER, KIND, tail=memory,
                                 weight=sightings_in)
    await follower.start()
    return ids, follower


def fresh_topic(kafka: KafkaConnection) -> str:
    topic = f"t{uuid.uuid4().hex[:8]}-job-ids"
    asyncio.run(ensure_topics(kafka, [topic], partitions=1))
    return topic


def reused(ids: JobIds, job_id: str) -> bool:
    return ids.note(job_id, "sha256:other")


def test_a_restarted_worker_flags_a_reuse_of_an_id_from_a_batch_behind_newer_records(
        kafka: KafkaConnection) -> None:
    topic = fresh_topic(kafka)
    early = [f"job-early-{n}" for n in range(900)]
    records: list[Record] = [(*old_format("job-oldest"), WORKER),
                             (*batch(early), WORKER)]
    records += [(*old_format(f"job-late-{n}"), WORKER) for n in range(300)]

    async def scenario() -> None:
        await write(kafka, topic, records)
        ids, follower = await restarted(kafka, topic, memory=1_000)
        try:
            assert reused(ids, "job-late-299") and reused(ids, "job-late-0")
            # 300 newer sightings, then the batch: its newest 700 ids are within the memory
            assert reused(ids, "job-early-899") and reused(ids, "job-early-200")
            assert not reused(ids, "job-oldest"), "beyond the last 1,000 ids"
            assert follower.refused_count == 0
        finally:
            await follower.stop()

    asyncio.run(scenario())


def test_forged_and_unsigned_batches_of_sightings_are_refused_and_not_counted(
        kafka: KafkaConnection) -> None:
    topic = fresh_topic(kafka)
    records: list[Record] = [
        (*batch(["job-signed"]), WORKER),
        (*batch(["job-unsigned"]), None),
        (*batch(["job-stranger"]), STRANGER),
        (*batch(["job-by-review"]), REVIEW),  # trusted, but not to write job ids
        # newest: a forged batch as large as the memory would push every real id out of the
        # window if it counted
        (*batch([f"job-forged-{n}" for n in range(1_000)]), None),
    ]
    key, value = batch(["job-signed-too"])
    edited = value.replace(b"job-signed-too", b"job-swapped-in")

    async def scenario() -> None:
        await write(kafka, topic, records)
        ids, follower = await restarted(kafka, topic, memory=1_000)
        try:
            assert reused(ids, "job-signed")
            for job_id in ("job-unsigned", "job-stranger", "job-by-review", "job-forged-7"):
                assert not reused(ids, job_id), job_id
            assert follower.refused_count == 4
            # after start: a signature over other bytes is refused too, and dead-lettered
            headers = RecordSigner(WORKER).headers(KIND, key, value)
            producer: AIOKafkaProducer = kafka.producer(acks="all")
            await producer.start()
            try:
                await producer.send_and_wait(topic, edited, key=key, headers=headers)
            finally:
                await producer.stop()
            for _ in range(50):
                await follower.follow()
                if follower.refused:
                    break
            assert [m.value for m, _problem in follower.drain_refused()] == [edited]
            assert not reused(ids, "job-swapped-in")
        finally:
            await follower.stop()

    asyncio.run(scenario())
