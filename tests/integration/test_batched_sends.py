"""The worker writes a transaction's outputs in record batches (aiokafka's batch API). A reader
must not tell: every record lands on the partition `send` would have chosen for its key (or the
one named), in the order it was given, with its headers, and a record larger than a batch goes
through whole. Checked against `send` on a real broker, as a `read_committed` consumer."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from streams.kafka_admin import ensure_topics
from streams.kafka_connection import plaintext
from streams.worker.decided import Output, send_batched
from tests.kafka_io import Record, collect

pytestmark = pytest.mark.integration


def outputs(topic: str) -> list[Output]:
    keyed: list[Output] = [(topic, f"job-{i}".encode(), f"value {i}".encode() * 40, None,
                            [("n", str(i).encode())]) for i in range(300)]
    named: list[Output] = [(topic, b"audit", f"link {i}".encode(), 1, None) for i in range(50)]
    big: list[Output] = [(topic, b"big", b"x" * 400_000, None, None)]  # over a 256 KB batch
    return keyed[:150] + named + big + keyed[150:]


def write(bootstrap: str, topic: str, batched: bool, batch_bytes: int | None = None) -> None:
    async def run() -> None:
        producer = plaintext(bootstrap).producer(
            transactional_id=f"batched-{uuid.uuid4().hex[:8]}", max_batch_size=262_144,
            max_request_size=1_048_576)
        await producer.start()
        try:
            await producer.begin_transaction()
            if batched:
                sent = await send_batched(producer, outputs(topic), None if batch_bytes is None
                                          else lambda _topic: batch_bytes)
            else:
                sent = [await producer.send(t, value, key=key, partition=partition,
                                            headers=headers)
                        for t, key, value, partition, headers in outputs(topic)]
            await asyncio.gather(*sent)
            await producer.commit_transaction()
        finally:
            await producer.stop()

    asyncio.run(run())


def layout(records: list[Record]) -> dict[int, list[tuple[bytes | None, bytes, tuple[
        tuple[str, bytes], ...]]]]:
    by_partition: dict[int, list[tuple[bytes | None, bytes, tuple[tuple[str, bytes], ...]]]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_partition.setdefault(record.partition, []).append(
            (record.key, record.value, record.headers))
    return by_partition


@pytest.mark.parametrize("batch_bytes", [None, 4096], ids=["producer-batches", "4-KB-batches"])
def test_batched_outputs_land_where_send_puts_them_in_order(kafka_bootstrap: str,
                                                             batch_bytes: int | None) -> None:
    prefix = f"batched{uuid.uuid4().hex[:6]}"
    sent, batched = f"{prefix}.sent", f"{prefix}.batched"
    asyncio.run(ensure_topics(plaintext(kafka_bootstrap), [sent, batched], partitions=3))
    write(kafka_bootstrap, sent, batched=False)
    write(kafka_bootstrap, batched, batched=True, batch_bytes=batch_bytes)
    total = len(outputs(sent))
    seen = collect(kafka_bootstrap, [sent, batched], settle=1,
                   done=lambda s: len(s[sent]) >= total and len(s[batched]) >= total)
    assert len(seen[batched]) == total
    assert layout(seen[batched]) == layout(seen[sent])
