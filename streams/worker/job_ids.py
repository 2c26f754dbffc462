"""Job ids already decided, and the content each was decided for: a `job_id` seen again with
different content (another `job_hash`) is flagged for review (`job_id_reused`).

An agent chooses its own `job_id`, so a reused one is either a bug or an attempt to pass one
output off as another. It never overwrites anything (every record the worker writes is its own,
and held results are keyed by source and `job_hash`); the flag makes a person look at it.

The state is shared like the first-seen marks: a topic (`<app id>-job-ids`) that every worker
follows (streams.compacted.CompactedFollower). A worker writes the sightings of a batch as ONE
signed record (`{"sightings": [[job_id, job_hash], ...]}`, keyed by a digest of its value; more
than one only when they would not fit one record), not one record per result: a signature and a
record per batch instead of per result. Records of the earlier format, one sighting each
(`{"job_id": ..., "job_hash": ...}`, keyed by the job id), are still read: they may be on the
topic when a worker is upgraded.

Memory is bounded: the worker keeps the last `capacity` job ids it saw or learnt (oldest
forgotten first), as 8-byte digests of the id and of its hash (`_digest`; about 100 bytes an entry in
CPython: 200,000 ids take about 20 MB), and at start reads each partition of the topic back
from its end until it holds `capacity` sightings (counted in ids, not records: `sightings_in`),
on a topic that itself keeps a limited time (`cleanup.policy=compact,delete`). A reuse older than
that window is not flagged. Two workers seeing the same id at the same moment both treat it as
new: the flag is a review trigger, never the thing that keeps outputs apart.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable

DEFAULT_CAPACITY = 200_000
# A batch's sightings are split over records of at most this many bytes (a job id is at most
# 128 characters, a job hash 71: a record of this size holds at least 1,000 sightings).
MAX_RECORD_BYTES = 256 * 1024

Sighting = tuple[str, str]  # job_id, job_hash


def _digest(text: str) -> int:
    """A 64-bit digest of `text` for this process's memory only (never written, never compared
    with another process's): Python's own string hash, SipHash-1-3 under a key drawn when the
    process starts (unless PYTHONHASHSEED fixes it), which a string works out once and keeps.
    It replaced an unkeyed 8-byte BLAKE2b, two of which cost more per result than the rest of
    `note` (docs/benchmarks.md, "job ids digested by the string hash"): as that one, equal texts
    have equal digests and two texts meet by chance about once in 2**64; unlike it, one who
    does not know the key cannot search for two contents whose digests meet (to hide a reused
    id)."""
    return hash(text)


def _sightings(value: bytes | None) -> list[Sighting]:
    """The sightings a state record holds: a batch record's, or the one of a record of the
    earlier format. A malformed record holds none (skipped, never fatal)."""
    if not value:
        return []
    try:
        record = json.loads(value)
        if "sightings" in record:
            return [(str(job_id), str(job_hash)) for job_id, job_hash in record["sightings"]]
        return [(str(record["job_id"]), str(record["job_hash"]))]
    except (ValueError, KeyError, TypeError):
        return []


def sightings_in(value: bytes | None) -> int:
    """How many job ids a state record holds (what the start-up read counts)."""
    return len(_sightings(value))


def sighting_records(sightings: Iterable[Sighting],
                     max_bytes: int = MAX_RECORD_BYTES) -> list[tuple[bytes, bytes]]:
    """Sightings as few state records as fit `max_bytes` each (key + value): key, value."""
    records: list[tuple[bytes, bytes]] = []
    chunk: list[str] = []
    size = 0
    budget = min(max_bytes, MAX_RECORD_BYTES) - 64  # the key, `{"sightings":[` and `]}`

    def close() -> None:
        value = ('{"sightings":[' + ",".join(chunk) + "]}").encode()
        key = b"batch-" + hashlib.blake2b(value, digest_size=16).hexdigest().encode()
        records.append((key, value))

    for sighting in sightings:
        encoded = json.dumps(list(sighting))
        if chunk and size + len(encoded) + 1 > budget:
            close()
            chunk, size = [], 0
        chunk.append(encoded)
        size += len(encoded) + 1
    if chunk:
        close()
    return records


class JobIds:
    """The pure part: job id → content digest for the most recent ids, and the new sightings
    still to be written to the state topic."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[int, int] = OrderedDict()
        self.pending: list[Sighting] = []

    def __len__(self) -> int:
        return len(self._seen)

    def note(self, job_id: str, job_hash: str) -> bool:
        """True when `job_id` was already seen with other content; the sighting is queued the
        first time only (a reuse never replaces what the id was first seen with)."""
        key, content = _digest(job_id), _digest(job_hash)
        known = self._seen.get(key)
        if known is not None:
            self._seen.move_to_end(key)
            return known != content
        self._remember(key, content)
        self.pending.append((job_id, job_hash))
        return False

    def learn(self, value: bytes | None) -> None:
        """A state record from the topic (this worker's or another's, of either format); the
        first sighting of an id stays."""
        for job_id, job_hash in _sightings(value):
            digest = _digest(job_id)
            if digest not in self._seen:
                self._remember(digest, _digest(job_hash))

    def drain(self, max_bytes: int = MAX_RECORD_BYTES) -> list[tuple[bytes, bytes]]:
        """The sightings queued since the last drain, as state records (key, value)."""
        pending, self.pending = self.pending, []
        return sighting_records(pending, max_bytes)

    def requeue(self, records: Iterable[tuple[bytes, bytes]]) -> None:
        """Drained records whose transaction was aborted: their sightings are written with the
        next one (a known id is not queued again, so they would be lost)."""
        self.pending[:0] = [sighting for _key, value in records for sighting in _sightings(value)]

    def _remember(self, key: int, content: int) -> None:
        self._seen[key] = content
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
