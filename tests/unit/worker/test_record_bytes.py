"""`record_bytes` bounds what a record adds to a record batch, so that a batch the worker
sends stays within its topic's `max.message.bytes` (streams.worker.decided.send_batched): over
keys, values and headers of every size class a varint has, an append to aiokafka's own batch
builder never grows it by more."""

from __future__ import annotations

from aiokafka.producer.message_accumulator import BatchBuilder
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.worker.decided import record_bytes

sizes = st.sampled_from([0, 1, 63, 64, 127, 128, 8191, 8192, 16383, 16384, 70_000])
blobs = sizes.flatmap(lambda n: st.just(b"k" * n))
headers = st.lists(st.tuples(st.sampled_from(["", "s", "afterguard-signature", "h" * 200]),
                             blobs), max_size=3)


@settings(max_examples=150, deadline=None)
@given(records=st.lists(st.tuples(st.none() | blobs, blobs, headers), min_size=1, max_size=6))
def test_an_append_grows_a_batch_by_at_most_record_bytes(
        records: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]]) -> None:
    builder = BatchBuilder(10_000_000, 0, is_transactional=True)  # no compression
    for key, value, header in records:
        before = builder.size()
        assert builder.append(timestamp=None, key=key, value=value, headers=header) is not None
        assert builder.size() - before <= record_bytes(key, value, header)
