"""The partition a keyed output goes to: the one aiokafka's `DefaultPartitioner` (Kafka's Java
client's, murmur2 of the key) picks, worked out with less Python per key.

aiokafka's `murmur2` reads the key a byte at a time in Python: about 13 us for a 26-byte key on
the benchmark machine, and a decided result has two keyed outputs (its decision and its review
item, under the same key), so the event loop spent some 25 us per result there
(docs/benchmarks.md, issue 15). Here the key's 4-byte words are read in one `struct` call and
each key is hashed once per transaction. The hash is the same function (Kafka's
`Utils.murmur2`): a record lands where `send` would have put it, as
tests/unit/worker/test_partitioner.py checks against aiokafka's on every length.
"""

from __future__ import annotations

import struct

from aiokafka.partitioner import DefaultPartitioner

SEED = 0x9747B28C
M = 0x5BD1E995  # Kafka's mixing constant
MASK = 0xFFFFFFFF
_WORDS = tuple(struct.Struct(f"<{n}I") for n in range(64))  # keys up to 255 bytes: prepared
_BY_DEFAULT = DefaultPartitioner()  # a record without a key: any available partition


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 of `data` (unsigned 32 bits), as `aiokafka.partitioner.murmur2`."""
    length = len(data)
    h = SEED ^ length
    words = length >> 2
    unpack = _WORDS[words] if words < len(_WORDS) else struct.Struct(f"<{words}I")
    for k in unpack.unpack_from(data):
        k = (k * M) & MASK
        k = ((k ^ (k >> 24)) * M) & MASK
        h = ((h * M) & MASK) ^ k
    tail = length & 3
    if tail:
        last = length & ~3
        if tail == 3:
            h ^= data[last + 2] << 16
        if tail >= 2:
            h ^= data[last + 1] << 8
        h = ((h ^ data[last]) * M) & MASK
    h ^= h >> 13
    h = (h * M) & MASK
    return h ^ (h >> 15)


class KeyPartitions:
    """The partition of each keyed record of one transaction, each key hashed once (a
    result's decision and review item share theirs)."""

    def __init__(self) -> None:
        self._hashes: dict[bytes, int] = {}

    def partition(self, key: bytes | None, partitions: list[int]) -> int:
        """Where `send` puts a record with this key, given the topic's partitions as
        `list(await producer.partitions_for(topic))`."""
        if key is None:
            return int(_BY_DEFAULT(None, partitions, partitions))
        hashed = self._hashes.get(key)
        if hashed is None:
            hashed = self._hashes[key] = murmur2(key) & 0x7FFFFFFF
        return partitions[hashed % len(partitions)]
