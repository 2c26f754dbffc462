"""Keeps a worker's AuditChain in step with the audit topic, which is the chain's only state.

The first time a batch needs an audit partition (again after every rebalance, and after a failed
transaction) the keeper reads that partition's last committed record and resumes from it. The
worker fences the previous writer's transactional producer before it asks, so the last
committed record is the previous writer's last word, and a record of an aborted transaction
never becomes a link.

With `signatures` (every writer's keeper) only a record this writer signed is a head: a record
appended by another writer of the topic is passed over with an ALERT (ERROR) log line naming
its offset, and the chain resumes from the last signed record before it (so the worker's next
record links to that one, and readers report the appended record as `bad_signature`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from streams.audit.chain import AuditChain, UnchainedRecord
from streams.audit.signatures import AuditSignatures
from streams.audit.topic_io import Message, last_messages
from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection

log = logging.getLogger(__name__)


class ChainKeeper:
    def __init__(self, kafka: KafkaConnection, audit_topic: str,
                 input_topics: Iterable[str], signatures: AuditSignatures | None = None
                 ) -> None:
        self.kafka, self.audit_topic, self.signatures = kafka, audit_topic, signatures
        self.input_topics = tuple(input_topics)
        self._chain: AuditChain | None = None
        # (input topic, partition) -> the offset after the input of the last committed audit
        # record read from the topic: everything before it was decided in committed transactions
        self.decided_before: dict[tuple[str, int], int] = {}

    async def chain_for(self, source_partitions: Iterable[int]) -> AuditChain:
        """The chain, with the heads of these source partitions' audit partitions loaded."""
        if self._chain is None:
            self._chain = AuditChain(await self._audit_partitions())
        chain = self._chain
        missing = {chain.partition_for(p) for p in source_partitions} - chain.loaded()
        if missing:
            tails = await last_messages(self.kafka, self.audit_topic, missing,
                                        accept=self._signed)
            for partition, message in sorted(tails.items()):
                value = None if message is None else message.value
                self._note_source(value)
                try:
                    chain.resume(partition, value)
                except UnchainedRecord:
                    log.warning("audit partition %d ends with an unchained record; "
                                "starting a new chain there", partition)
                    chain.resume(partition, None)
            log.info("audit chain resumed: %s", ", ".join(
                f"partition {p} after {'seq ' + str(s) if s else 'nothing'}"
                for p, s in sorted(chain.heads().items()) if p in missing))
        return chain

    def _signed(self, message: Message) -> bool:
        if self.signatures is None:
            return True
        problem = self.signatures.problem(message.topic, message.partition, message.offset,
                                          message.key, message.value, message.headers)
        if problem is not None:
            log.error("ALERT: not resuming the audit chain from a record its writer did not "
                      "sign: %s; resuming from the last signed record before it", problem)
        return problem is None

    def _note_source(self, value: bytes | None) -> None:
        try:
            source = json.loads(value or b"null")["source"]
            place = (str(source["topic"]), int(source["partition"]))
            offset = int(source["offset"]) + 1
        except (ValueError, TypeError, KeyError):
            return  # an empty partition, or a record without a source
        self.decided_before[place] = max(self.decided_before.get(place, 0), offset)

    def forget(self) -> None:
        if self._chain is not None:
            self._chain.forget()

    def discard(self, source_partitions: Iterable[int]) -> None:
        """Drop the heads of these source partitions' audit partitions: a transaction that may
        have sealed records into them failed, so the next batch re-reads them from the topic
        (as a read_committed consumer: only records that were really written count)."""
        if self._chain is None:
            return
        heads = self._chain.snapshot()
        for partition in source_partitions:
            heads.pop(self._chain.partition_for(partition), None)
        self._chain.restore(heads)

    async def _audit_partitions(self) -> int:
        counts = await partition_counts(self.kafka, [self.audit_topic, *self.input_topics])
        audit = counts[self.audit_topic]
        inputs = {counts[t] for t in self.input_topics}
        if max(inputs) > audit or len(inputs) > 1:
            log.warning("audit topic %s has %d partitions for input partition counts %s: with "
                        "more than one worker an audit partition may get two writers; give "
                        "every input topic the same count, at most the audit topic's",
                        self.audit_topic, audit, sorted(inputs))
        return audit
