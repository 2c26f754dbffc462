"""Where a consumer lets a record in: its signature is checked, and a record that fails goes to
the dead-letter topic (`bad_signature`) and changes nothing. One call at each consume site:
`if not await gate.admits(kind, event.message): continue`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from streams.deadletter.sealing import DeadLetterKey
from streams.records import SourceRef, to_json_bytes
from streams.signing import BadSignature, RecordKind, RecordVerifier, bad_signature_letter

log = logging.getLogger(__name__)

# Sends (key, value) to the dead-letter topic.
SendDeadLetter = Callable[[bytes | None, bytes], Awaitable[Any]]


class Received(Protocol):
    """A consumed record: aiokafka's ConsumerRecord and faust's Message both fit."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Any


class SignatureGate:
    def __init__(self, verifier: RecordVerifier, worker_id: str,
                 send_dead_letter: SendDeadLetter, sealing: DeadLetterKey | None,
                 on_refused: Callable[[str], None] | None = None) -> None:
        """`sealing`: the dead-letter key the refused bytes are sealed with (None: not kept);
        `on_refused(topic)`: told of each refused record once its dead letter is sent."""
        self.verifier, self.worker_id, self.send = verifier, worker_id, send_dead_letter
        self.sealing, self.on_refused = sealing, on_refused
        self.refused = 0

    async def admits(self, kind: RecordKind, message: Received) -> bool:
        problem = self.verifier.check(kind, message.key, message.value, message.headers)
        if problem is None:
            return True
        await self.refuse(message, problem)
        return False

    async def refuse(self, message: Received, problem: BadSignature) -> None:
        self.refused += 1
        log.warning("refused %s[%d]@%d: %s", message.topic, message.partition, message.offset,
                    problem.reason)
        source = SourceRef(topic=message.topic, partition=message.partition,
                           offset=message.offset)
        letter = bad_signature_letter(problem, source, message.key, message.value,
                                      self.worker_id, datetime.now(UTC), self.sealing)
        # Keyed by its source, as every dead letter: the record's own key is sealed above.
        where = f"{message.topic}/{message.partition}/{message.offset}".encode()
        await self.send(where, to_json_bytes(letter))
        if self.on_refused is not None:
            self.on_refused(message.topic)
