"""The worker's view of the autonomy levels: the compacted autonomy topic, read whole at start
and then followed by a streams.compacted.CompactedFollower (no faust GlobalTable)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

log = logging.getLogger(__name__)


class AutonomyLevels:
    """Current level per (agent, action class); None for a pair the scorer has not seen."""

    def __init__(self) -> None:
        self.levels: dict[tuple[str, str], int] = {}
        self._updated: dict[tuple[str, str], datetime] = {}

    def level_of(self, agent_id: str, action_class: str) -> int | None:
        return self.levels.get((agent_id, action_class))

    def learn(self, value: bytes | None) -> None:
        if not value:
            return
        try:
            record = json.loads(value)
            pair = (record["agent_id"], record["action_class"])
            level = int(record["level"])
            stamp = record.get("updated_at")
            updated = None if stamp is None else datetime.fromisoformat(stamp)
            if updated is not None and updated.utcoffset() is None:
                updated = updated.replace(tzinfo=UTC)  # comparable with the others
            # Names that are not text (a list cannot key the table) would raise below, out of
            # the follower: every record after this one would go unread.
            if not all(isinstance(name, str) for name in pair):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("skipped an autonomy record that does not parse")
            return
        known = self._updated.get(pair)
        if known is not None and (updated is None or updated < known):
            # An older record written again (a signed record replayed by someone who can
            # write the topic): the newer level stands.
            log.warning("skipped an autonomy record older than the one already read")
            return
        self.levels[pair] = level
        if updated is not None:
            self._updated[pair] = updated
