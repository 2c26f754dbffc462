"""Job ids already decided, and the content each was decided for: a `job_id` seen again with
different content (another `job_hash`) is flagged for review (`job_id_reused`).

An agent chooses its own `job_id`, so a reused one is either a bug or an attempt to pass one
output off as another. It never overwrites anything (every record the worker writes is its own,
and held results are keyed by source and `job_hash`); the flag makes a person look at it.

The state is shared like the first-seen marks: a compacted topic (`<app id>-job-ids`, key
`job_id`, value the `job_id` and `job_hash`) that every worker follows (streams.compacted.CompactedFollower).
Memory is bounded: the worker keeps the last `capacity` job ids it saw or learnt (oldest
forgotten first), as 8-byte digests of the id and of its hash (about 100 bytes an entry in
CPython: 200,000 ids take about 20 MB), and at start reads only the last `capacity` records of
each partition of the topic, which itself keeps a limited time (`cleanup.policy=compact,delete`).
A reuse older than that window is not flagged. Two workers seeing the same id at the same
moment both treat it as new: the flag is a review trigger, never the thing that keeps outputs
apart.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

DEFAULT_CAPACITY = 200_000


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class JobIds:
    """The pure part: job id → content digest for the most recent ids, and the new sightings
    still to be written to the state topic."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[int, int] = OrderedDict()
        self.pending: list[tuple[bytes, bytes]] = []

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
        value = {"job_id": job_id, "job_hash": job_hash}
        self.pending.append((job_id.encode(), json.dumps(value).encode()))
        return False

    def learn(self, value: bytes | None) -> None:
        """A sighting from the state topic (this worker's or another's); the first one of an id
        stays."""
        if not value:
            return
        try:
            record = json.loads(value)
            job_id, job_hash = str(record["job_id"]), str(record["job_hash"])
        except (ValueError, KeyError, TypeError):
            return  # a malformed state record is skipped, never fatal
        digest = _digest(job_id)
        if digest not in self._seen:
            self._remember(digest, _digest(job_hash))

    def drain(self) -> list[tuple[bytes, bytes]]:
        pending, self.pending = self.pending, []
        return pending

    def _remember(self, key: int, content: int) -> None:
        self._seen[key] = content
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
