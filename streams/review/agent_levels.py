"""The autonomy level of an agent's action class, as the review console shows it next to the
history: the review service follows the scorer's compacted levels topic (read only), taking
only the levels the scorer signed, as the workers do (a forged level would tell reviewers an
agent is trusted). The records it refuses are logged; the workers dead-letter them. When the
topic cannot be read (missing, or no read permission), the level shows as unknown and the
follower retries; the queue never waits for it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from policies.sections.autonomy import AutonomyPolicy
from sampling.autonomy.action_class import action_class
from streams.autonomy.levels import AutonomyLevels
from streams.compacted import CompactedFollower
from streams.kafka_connection import KafkaConnection
from streams.signing import RecordKind, RecordVerifier

log = logging.getLogger(__name__)
RETRY_S = 30.0


class AgentLevels:
    def __init__(self, kafka: KafkaConnection, topic: str, policy: AutonomyPolicy | None,
                 verifier: RecordVerifier) -> None:
        self.levels, self.policy = AutonomyLevels(), policy
        self.follower = CompactedFollower(kafka, topic, self.levels.learn, verifier,
                                          RecordKind.AUTONOMY_LEVEL)
        self.topic = topic

    def of(self, agent_id: str, action: str) -> dict[str, Any]:
        rules = self.policy.action_classes if self.policy else ()
        cls = action_class(action, rules)
        return {"action_class": cls, "level": self.levels.level_of(agent_id, cls)}

    async def run(self) -> None:
        while True:
            try:
                await self.follower.start()
                while True:
                    await self.follower.follow()
                    self.follower.drain_refused()  # logged by the follower
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - a view for people; retried, logged
                log.warning("cannot follow the autonomy levels on %s (%s); retrying in %.0f s",
                            self.topic, type(exc).__name__, RETRY_S)
                await self.follower.stop()
                await asyncio.sleep(RETRY_S)
