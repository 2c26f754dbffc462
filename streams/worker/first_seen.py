"""First-time agent actions: which (agent id, action) pairs were already performed.

The state is a compacted topic (`<app id>-first-seen`) that every worker reads whole at start
and then follows (streams.compacted.CompactedFollower), so a restart, a rebalance or another worker never forgets a pair. A pair seen
by two workers at the same moment is reviewed twice: the error is always towards more review.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime


def _key(agent_id: str, action: str) -> str:
    return f"{agent_id}\x1f{action}"


class FirstSeen:
    """The pure part: the set of pairs seen, and the new sightings still to be written."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.pending: list[tuple[bytes, bytes]] = []

    def mark(self, agent_id: str, action: str) -> bool:
        """True the first time this agent performs this action; the sighting is queued."""
        key = _key(agent_id, action)
        if key in self.seen:
            return False
        self.seen.add(key)
        value = {"agent_id": agent_id, "action": action,
                 "first_seen_at": datetime.now(UTC).isoformat()}
        self.pending.append((key.encode(), json.dumps(value).encode()))
        return True

    def forget(self, agent_id: str, action: str) -> None:
        """Take back the mark `mark` just made (a first time past its identity's
        `first_time_limit`: not reviewed as one, so not remembered either; a writer putting
        fresh ids on its results grows neither this set nor the topic past the limit)."""
        key = _key(agent_id, action)
        self.seen.discard(key)
        encoded = key.encode()
        for index in range(len(self.pending) - 1, -1, -1):  # the newest: just marked
            if self.pending[index][0] == encoded:
                del self.pending[index]
                return

    def learn(self, value: bytes | None) -> None:
        if not value:
            return
        record = json.loads(value)
        self.seen.add(_key(record["agent_id"], record["action"]))

    def checkpoint(self) -> int:
        """A point to `rollback` to: sightings marked after it are forgotten again."""
        return len(self.pending)

    def rollback(self, checkpoint: int) -> None:
        """Forget the sightings marked since `checkpoint` (their records were not decided)."""
        self.unsee(self.pending[checkpoint:])
        del self.pending[checkpoint:]

    def unsee(self, sightings: list[tuple[bytes, bytes]]) -> None:
        """Forget drained sightings whose transaction was aborted: the records that made them
        are decided again, and must again count as the first time."""
        for key, _value in sightings:
            self.seen.discard(key.decode())

    def drain(self) -> list[tuple[bytes, bytes]]:
        pending, self.pending = self.pending, []
        return pending
