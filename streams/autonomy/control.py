"""What `afterguard autonomy show/approve` do on the broker: read the compacted autonomy topic,
send a sign-off to the scorer, and wait until the scorer has applied or refused it."""

from __future__ import annotations

import asyncio
import json

from aiokafka import AIOKafkaConsumer, TopicPartition

from sampling.autonomy import AutonomyRecord, SignOff, SignOffResult
from streams.autonomy.events import pair_key
from streams.autonomy.signed_topic import read_signed
from streams.kafka_admin import partition_counts, require_topics
from streams.kafka_connection import KafkaConnection
from streams.signing import RecordKind, RecordSigner, RecordVerifier


async def current_records(kafka: KafkaConnection, topic: str, verifier: RecordVerifier
                          ) -> dict[str, AutonomyRecord]:
    """The last record of every pair signed by the scorer (the compacted topic's view); records
    whose signature fails are left out."""
    latest: dict[str, AutonomyRecord] = {}
    read = await read_signed(kafka, topic, verifier, RecordKind.AUTONOMY_LEVEL, AutonomyRecord)
    for record in read.records:
        key = pair_key(record.identity, record.action_class)
        if key not in latest or latest[key].updated_at <= record.updated_at:
            latest[key] = record
    return latest


async def send_signoff(kafka: KafkaConnection, events_topic: str, levels_topic: str,
                       signoff: SignOff, timeout_s: float, signer: RecordSigner,
                       verifier: RecordVerifier) -> SignOffResult | None:
    """Send the sign-off, signed with the operator's key (the scorer refuses unsigned ones),
    and wait for the scorer's answer, signed by the scorer (None: no answer within the
    time)."""
    await require_topics(kafka, [events_topic, levels_topic])  # made by the scorer, not here
    consumer = kafka.consumer(group_id=None, enable_auto_commit=False,
                              isolation_level="read_committed")
    await consumer.start()
    try:
        count = (await partition_counts(kafka, [levels_topic]))[levels_topic]
        tps = [TopicPartition(levels_topic, p) for p in range(count)]
        consumer.assign(tps)
        for tp, end in (await consumer.end_offsets(tps)).items():
            consumer.seek(tp, end)  # only answers written after the sign-off is sent
        producer = kafka.producer(acks="all")
        await producer.start()
        try:
            key = pair_key(signoff.identity, signoff.action_class).encode()
            value = signoff.model_dump_json().encode()
            await producer.send_and_wait(events_topic, value, key=key, headers=signer.headers(
                RecordKind.AUTONOMY_EVENT, key, value))
        finally:
            await producer.stop()
        return await asyncio.wait_for(_answer(consumer, signoff.signoff_id, verifier),
                                      timeout_s)
    except TimeoutError:
        return None
    finally:
        await consumer.stop()


async def _answer(consumer: AIOKafkaConsumer, signoff_id: str,
                  verifier: RecordVerifier) -> SignOffResult:
    while True:
        for messages in (await consumer.getmany(timeout_ms=500)).values():
            for message in messages:
                if verifier.check(RecordKind.AUTONOMY_LEVEL, message.key, message.value,
                                  message.headers) is not None:
                    continue  # not the scorer's: no answer
                answer = json.loads(message.value or b"{}").get("last_signoff") or {}
                if answer.get("signoff_id") == signoff_id:
                    return SignOffResult.model_validate(answer)
