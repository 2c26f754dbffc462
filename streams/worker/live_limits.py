"""The output topics' limits the worker decides and writes by, read again when the broker
refuses a record batch as too large.

The worker reads each output topic's `max.message.bytes` at start (streams.worker.output_limits)
and fits every record to it. A topic's limit lowered while the worker runs made the broker
refuse a transaction's record, and the records decided again came to the same refused write,
for as long as the worker ran. Now the refusal has the limits read again before the records are
decided again: a record over the new limit is then held by reference (or dead-lettered), as it
would be had the worker started with it, and the partition goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from streams.worker.batch import BatchDecider
from streams.worker.output_limits import OutputLimits

log = logging.getLogger(__name__)

# The decide loop waits this long at most (holding its lock) for the limits read again.
READ_WITHIN_S = 10.0


class LiveLimits:
    def __init__(self, decider: BatchDecider, read: Callable[[], Awaitable[OutputLimits]]) -> None:
        self.decider, self.read = decider, read

    def batch_bytes(self, topic: str) -> int:
        """The largest record batch the worker sends to `topic`."""
        return self.decider.limits.limit(topic)

    async def read_again(self) -> None:
        """The limits as the broker has them now, for the batches decided from here on (the
        caller holds the decide loop's lock: no batch is being decided)."""
        try:
            async with asyncio.timeout(READ_WITHIN_S):
                limits = await self.read()
        except Exception as exc:  # noqa: BLE001 - the next refusal reads them again
            log.warning("cannot read the output topics' limits again (%s: %s)",
                        type(exc).__name__, exc)
            return
        before = self.decider.limits
        changed = sorted(topic for topic in {*before.by_topic, *limits.by_topic}
                         if before.limit(topic) != limits.limit(topic))
        if changed:
            log.warning("the record size limits of %s changed; records are decided again "
                        "within them", ", ".join(f"{topic} ({limits.limit(topic)} bytes)"
                                                 for topic in changed))
        self.decider.limits = limits
