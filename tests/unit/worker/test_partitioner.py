"""A keyed output lands on the partition `send` would have chosen: the worker's murmur2 is
aiokafka's (Kafka's `Utils.murmur2`) on every key, whatever its length, and a transaction's
partition for a key is the default partitioner's, hashed once or many times. A reader keyed by
job id (compacted topics, a consumer per partition) would otherwise see a result's records on
another partition than the one it expects, and a result's decision and review item apart."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as aiokafka_murmur2
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.demo_data import generate
from streams.worker.partitioner import KeyPartitions, murmur2

PARTITIONER = DefaultPartitioner()


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=600))
def test_murmur2_is_kafkas(key: bytes) -> None:
    assert murmur2(key) == aiokafka_murmur2(key)


def test_murmur2_on_every_length_and_byte() -> None:
    """Each tail length (0-3 bytes past the last word), past the prepared word counts, and
    bytes with the top bit set (aiokafka masks them; a signed read would differ)."""
    for length in range(0, 300):
        for fill in (0x00, 0x7F, 0x80, 0xFF):
            key = bytes((fill + 37 * i) & 0xFF for i in range(length))
            assert murmur2(key) == aiokafka_murmur2(key), length


@given(st.lists(st.binary(min_size=0, max_size=80), max_size=40),
       st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12, unique=True))
def test_a_transactions_partitions_are_the_default_partitioners(
        keys: list[bytes], partitions: list[int]) -> None:
    keyed = KeyPartitions()
    for key in keys + keys:  # the second time from what was hashed the first
        assert keyed.partition(key, partitions) == PARTITIONER(key, partitions, partitions)


def test_the_workers_keys_land_where_send_puts_them() -> None:
    keyed = KeyPartitions()
    for record in generate(500, "tp", malformed_every=0):
        key = f"agents.support.results/{record.key}".encode()
        for count in (1, 3, 12):
            partitions = list(range(count))
            assert keyed.partition(key, partitions) == PARTITIONER(key, partitions, partitions)


def test_a_record_without_a_key_goes_to_one_of_the_partitions() -> None:
    assert KeyPartitions().partition(None, [0, 1, 2]) in {0, 1, 2}
