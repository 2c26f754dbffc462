"""The autonomy level of the result's verified identity for its action class, as the review
console shows it next to the history (the identity of the item's source topic under the
policy's `trust.identities`, never the agent id the result claims: policies.claims). The
review service follows the scorer's compacted levels topic (read only), taking
only the levels the scorer signed, as the workers do (a forged level would tell reviewers an
agent is trusted). The records it refuses are logged; the workers dead-letter them. When the
topic cannot be read (missing, or no read permission), the level shows as unknown and the
follower retries; the queue never waits for it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from policies.claims import verified_identity
from policies.sections.autonomy import AutonomyPolicy
from policies.sections.trust import TrustPolicy
from sampling.autonomy.action_class import action_class
from sampling.record import ReviewItem
from streams.autonomy.levels import AutonomyLevels
from streams.compacted import CompactedFollower
from streams.kafka_connection import KafkaConnection
from streams.signing import RecordKind, RecordVerifier

log = logging.getLogger(__name__)
RETRY_S = 30.0


class AgentLevels:
    def __init__(self, kafka: KafkaConnection, topic: str, policy: AutonomyPolicy | None,
                 verifier: RecordVerifier, trust: TrustPolicy | None = None) -> None:
        self.levels, self.policy, self.trust = AutonomyLevels(), policy, trust
        self.follower = CompactedFollower(kafka, topic, self.levels.learn, verifier,
                                          RecordKind.AUTONOMY_LEVEL)
        self.topic = topic

    def of(self, item: ReviewItem) -> dict[str, Any]:
        rules = self.policy.action_classes if self.policy else ()
        cls = action_class(item.action, rules)
        topic = item.source.topic if item.source is not None else None
        identity = verified_identity(self.trust, topic, item.agent_id, item.action)
        return {"action_class": cls, "identity": identity,
                "level": self.levels.level_of(identity, cls)}

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
