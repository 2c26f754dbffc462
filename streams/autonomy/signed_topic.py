"""The scorer's compacted topics as their readers take them in (the scorer restoring its pair
states, `autonomy show/approve` reading the levels): a record counts only when its signature
checks out as the kind the topic carries and it is a valid record of that kind; any other
record is passed over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from streams.audit.topic_io import read_all_messages
from streams.kafka_connection import KafkaConnection
from streams.signing import RecordKind, RecordVerifier

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SignedRecords(Generic[M]):
    records: list[M]  # in partition and offset order
    refused: int  # records passed over because their signature fails
    invalid: int = 0  # signed, but not a valid record of the model (e.g. an earlier format)


async def read_signed(kafka: KafkaConnection, topic: str, verifier: RecordVerifier,
                      kind: RecordKind, model: type[M]) -> SignedRecords[M]:
    """Every record of `topic` (as a read_committed consumer, up to its end now) signed as
    `kind` and valid as `model`."""
    records: list[M] = []
    refused = invalid = 0
    for message in await read_all_messages(kafka, topic):
        if verifier.check(kind, message.key, message.value, message.headers) is not None:
            refused += 1
            continue
        try:
            records.append(model.model_validate_json(message.value or b""))
        except ValidationError:
            invalid += 1
    return SignedRecords(records, refused, invalid)
