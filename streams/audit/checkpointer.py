"""Writes signed checkpoints of the chain heads the sink has verified: every N records or T
seconds per audit partition (whichever comes first), and once more when the sink stops."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from streams.audit.chain_guard import Head, HeadKey
from streams.audit.checkpoints import Checkpoint, sign_checkpoint
from streams.signing import SigningKey

log = logging.getLogger(__name__)

Send = Callable[[Checkpoint], Awaitable[None]]  # to the checkpoint topic, acknowledged
Store = Callable[[Sequence[Checkpoint]], Awaitable[None]]  # into the warehouse


@dataclass
class _Pending:
    head: Head
    offset: int
    records: int = 0  # verified records since the last checkpoint


class Checkpointer:
    def __init__(self, key: SigningKey, send: Send, store: Store, every_records: int,
                 every_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.key, self.send, self.store = key, send, store
        self.every_records, self.every_s, self.clock = every_records, every_s, clock
        self._pending: dict[HeadKey, _Pending] = {}
        self._last: dict[HeadKey, float] = {}
        self.written = 0

    def verified(self, where: HeadKey, head: Head, offset: int) -> None:
        """A record at `head` (Kafka offset `offset`) is durable in the warehouse."""
        pending = self._pending.get(where)
        count = (pending.records if pending else 0) + 1
        self._pending[where] = _Pending(head, offset, count)
        self._last.setdefault(where, self.clock())

    async def flush(self, force: bool = False) -> list[Checkpoint]:
        due = [where for where, p in self._pending.items()
               if force or p.records >= self.every_records
               or self.clock() - self._last[where] >= self.every_s]
        made = []
        for where in sorted(due):
            pending = self._pending.pop(where)
            checkpoint = sign_checkpoint(self.key, where[0], where[1], pending.head.seq,
                                         pending.head.hash, pending.offset, datetime.now(UTC))
            await self.send(checkpoint)
            self._last[where] = self.clock()
            made.append(checkpoint)
        if made:
            await self.store(made)
            self.written += len(made)
            log.info("checkpoints signed: %s", ", ".join(
                f"{c.audit_topic}[{c.partition}] seq {c.seq}" for c in made))
        return made
