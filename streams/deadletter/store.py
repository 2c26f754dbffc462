"""What `afterguard deadletter` does on the broker: read the dead letters, open their sealed
bytes with the dead-letter key, and publish chosen records again to their input topic."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from pydantic import ValidationError

from streams.audit.topic_io import read_all
from streams.deadletter.sealing import DeadLetterKey, SealError, context
from streams.kafka_admin import require_topics
from streams.kafka_connection import KafkaConnection
from streams.records import DeadLetter


@dataclass(frozen=True)
class StoredLetter:
    """A dead letter and where it is on the dead-letter topic (`partition:offset`)."""

    partition: int
    offset: int
    letter: DeadLetter | None  # None: not a dead letter this version can read

    @property
    def letter_id(self) -> str:
        return f"{self.partition}:{self.offset}"


@dataclass(frozen=True)
class Opened:
    """A letter's original key and value (None where there was none or nothing was kept)."""

    key: bytes | None
    value: bytes | None


class NotReplayable(ValueError):
    """This letter's bytes cannot be had (no key configured, another key, nothing kept)."""


async def read_letters(kafka: KafkaConnection, topic: str) -> list[StoredLetter]:
    letters = []
    for entry in await read_all(kafka, topic):
        try:
            letter: DeadLetter | None = DeadLetter.model_validate_json(entry.value)
        except ValidationError:
            letter = None
        letters.append(StoredLetter(entry.partition or 0, entry.position, letter))
    return letters


def open_letter(letter: DeadLetter, key: DeadLetterKey | None) -> Opened:
    """The original bytes; raises NotReplayable when they cannot be had."""
    if letter.source is None:
        raise NotReplayable("the letter has no input record (an audit record a service made)")
    if letter.value_sealed is None and letter.key_sealed is None:
        if letter.value_b64 is not None:  # written before dead letters were sealed
            return Opened(_unb64(letter.key_b64), _unb64(letter.value_b64))
        raise NotReplayable("no bytes were kept (the worker had no dead-letter key); the "
                            "record may still be on its input topic at "
                            f"{letter.source.topic}/{letter.source.partition}/"
                            f"{letter.source.offset}")
    if key is None:
        raise NotReplayable("the bytes are sealed: configure the dead-letter key "
                            "(AFTERGUARD_DEADLETTER_KEY_FILE or AFTERGUARD_DEADLETTER_KEY)")
    src = letter.source
    try:
        return Opened(
            None if letter.key_sealed is None else key.open(
                letter.key_sealed, context("key", src.topic, src.partition, src.offset)),
            None if letter.value_sealed is None else key.open(
                letter.value_sealed, context("value", src.topic, src.partition, src.offset)))
    except SealError as exc:
        raise NotReplayable(str(exc)) from None


async def republish(kafka: KafkaConnection,
                    records: list[tuple[str, bytes | None, bytes | None]]) -> None:
    """Send (topic, key, value) records and wait until the broker has them all; MissingTopic
    (nothing sent) when a target topic does not exist, rather than have the broker create it."""
    await require_topics(kafka, [topic for topic, _key, _value in records])
    producer = kafka.producer(acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for topic, key, value in records:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


def _unb64(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)
