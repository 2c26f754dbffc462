"""The worker's view of the autonomy levels: the compacted autonomy topic, read whole at start
and then followed by a streams.compacted.CompactedFollower (no faust GlobalTable)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

log = logging.getLogger(__name__)


class AutonomyLevels:
    """Current level per (verified identity, action class); None for a pair the scorer has not
    seen. The identity is `identity:<id>` or `topic:<topic>` (policies.claims.verified_identity),
    never a claimed agent id: records of the earlier format, keyed by the claimed agent id
    (they have no `identity`), are passed over, so their pairs are at the initial level."""

    def __init__(self) -> None:
        self.levels: dict[tuple[str, str], int] = {}
        self._updated: dict[tuple[str, str], datetime] = {}
        self.passed_over = 0  # records of the earlier format (keyed by a claimed agent id)

    def level_of(self, identity: str, action_class: str) -> int | None:
        return self.levels.get((identity, action_class))

    def learn(self, value: bytes | None) -> None:
        if not value:
            return
        try:
            record = json.loads(value)
            if "identity" not in record and "agent_id" in record:
                self.passed_over += 1
                if self.passed_over == 1:
                    log.warning("passed over an autonomy record keyed by a claimed agent id "
                                "(written before levels were kept per verified identity): its "
                                "pair starts at the initial level (docs/autonomy.md, upgrading)")
                return
            pair = (record["identity"], record["action_class"])
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
