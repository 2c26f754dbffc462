"""Whether the consumer group still counts this worker as the owner of its assignment.

Kafka fences a transactional producer (`ProducerFenced`) in two cases that look the same to
the client: another producer started under its transactional id (the partition's next owner
after a rebalance, streams.worker.transactions), or the broker aborted its transaction because
it outlived the transaction timeout (a broker restart or an outage longer than the timeout, a
long pause) and bumped its epoch. Only the group tells them apart: a heartbeat at this
consumer's generation succeeds only while the group is stable in that generation with this
member in it, and then the assignment the consumer holds is the group's current one, so no
other member was given its partitions.
"""

from __future__ import annotations

import asyncio
import logging
from enum import Enum

import aiokafka.errors as Errors
from aiokafka import AIOKafkaConsumer
from aiokafka.protocol.group import HeartbeatRequest

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 10.0
# The coordinator cannot answer yet (it is moving or loading after a restart): ask again.
_NOT_YET = (Errors.GroupCoordinatorNotAvailableError, Errors.NotCoordinatorForGroupError,
            Errors.CoordinatorLoadInProgressError, Errors.RequestTimedOutError)


class Membership(Enum):
    CURRENT = "current"  # a member of the group's stable, current generation
    GONE = "gone"  # rebalancing, another generation, an unknown member, a replaced instance
    UNKNOWN = "unknown"  # the coordinator did not answer: ask again


async def membership(consumer: AIOKafkaConsumer,
                     timeout_s: float = CHECK_TIMEOUT_S) -> Membership:
    """One heartbeat at the consumer's generation, answered by the group coordinator.
    (aiokafka has no public call for it: its coordinator object is private API.)"""
    coordinator = getattr(consumer, "_coordinator", None)
    if coordinator is None or not coordinator.member_id or coordinator.generation < 0:
        return Membership.GONE  # not in a group (any more): a rejoin is under way
    request = HeartbeatRequest(coordinator.group_id, coordinator.generation,
                               coordinator.member_id)
    try:
        async with asyncio.timeout(timeout_s):
            await coordinator.ensure_coordinator_known()
            response = await coordinator._send_req(request)  # private API: see the docstring
    except (TimeoutError, Errors.KafkaError) as exc:
        log.info("the group coordinator did not answer a membership check (%s)",
                 type(exc).__name__)
        return Membership.UNKNOWN
    error = Errors.for_code(response.error_code)
    if error is Errors.NoError:
        return Membership.CURRENT
    if error in _NOT_YET:
        return Membership.UNKNOWN
    log.info("this worker is no longer a current member of its group (%s)", error.__name__)
    return Membership.GONE
