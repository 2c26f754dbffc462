"""The worker's view of the autonomy levels: the compacted autonomy topic, read whole at start
and then followed by a streams.compacted.CompactedFollower (no faust GlobalTable)."""

from __future__ import annotations

import json
import logging

log = logging.getLogger(__name__)


class AutonomyLevels:
    """Current level per (agent, action class); None for a pair the scorer has not seen."""

    def __init__(self) -> None:
        self.levels: dict[tuple[str, str], int] = {}

    def level_of(self, agent_id: str, action_class: str) -> int | None:
        return self.levels.get((agent_id, action_class))

    def learn(self, value: bytes | None) -> None:
        if not value:
            return
        try:
            record = json.loads(value)
            self.levels[(record["agent_id"], record["action_class"])] = int(record["level"])
        except (ValueError, KeyError, TypeError):
            log.warning("skipped an autonomy record that does not parse")
