"""Producing what the queue emits, all or nothing: verdicts, released results and audit records
sealed into the review audit topic's hash chain go out in one Kafka transaction.

Every audit record is checked against the evidence contract before anything is sent: a
verdict whose audit record fails it is not given (nothing is released, the record goes to the
dead-letter topic). The caller changes the queue state only after `commit` returns, so a crash
before the commit leaves the verdict ungiven (the transaction is aborted when the service's
next producer starts under the same transactional id), and a crash after it leaves a verdict
on the topic that the restarted service applies from there (streams/review/replay.py).

A transaction that fails may still have committed (its commit reached the broker, its answer
never came back; or it never ended and is given up after the transaction timeout plus 20 s,
streams.transactional.given_up_after_s): the publisher starts its producer again, which
settles it (aborted, or its commit finished), and reads the review audit partition's last
committed record. When that is the transaction's last audit record, the transaction counts as
committed (the caller applies it); otherwise it failed and nothing of it is visible. When that
cannot be read (the broker is away), `OutcomeUnknown`: the committer settles it before it
commits anything else (streams/review/committer.py).

The review service is the only writer of the review audit topic (partition 0), as each worker
is the only writer of its audit partitions, and signs each record (kind
`review_audit_record`; a transaction's verdicts and audit records are signed together, one
Ed25519 signature over a Merkle root per 64 of them, streams/signing/batches.py):
`afterguard audit verify --topic <review audit topic>` checks the review events exactly like
the worker's, signatures included.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from policies.decision import result_key
from streams.audit.evidence import evidence_problems, rejected_audit_letter
from streams.audit.keeper import ChainKeeper
from streams.audit.topic_io import Message, last_messages
from streams.config import Settings
from streams.records import AuditRecord
from streams.review.queue import Effects
from streams.signing import Headers, RecordKind, RecordSigner
from streams.transactional import (
    MAX_REQUEST,
    crash_point,
    delivered,
    fail_point,
    given_up_after_s,
    hang_point,
    start_transactional,
    stop_quietly,
)
from streams.worker.decided import Output, send_batched
from streams.worker.output_limits import OutputLimits, read_output_limits

log = logging.getLogger(__name__)
AUDIT_PARTITION = 0
CHAIN_ROOM = 256  # what sealing adds to an audit record (seq, prev_hash, hash)
# records signed with one signature: their headers (key id, signature, a proof of 6 levels:
# 343 bytes in all) stay well within the RECORD_OVERHEAD (512) that a record's size check
# leaves for headers and framing
SIGNED_TOGETHER = 64


class AuditRejected(Exception):
    """An audit record fails the evidence contract: nothing was produced but its dead letter."""

    def __init__(self, record: AuditRecord, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.record, self.problems = record, problems


class OutcomeUnknown(Exception):
    """A transaction failed, and whether its commit landed cannot be read now."""


class Unwritable(Exception):
    """A record of the transaction is larger than its topic takes: nothing was sent.
    `job_id`: the result the record is about."""

    def __init__(self, message: str, job_id: str) -> None:
        super().__init__(message)
        self.job_id = job_id


def signed_together(signer: RecordSigner, records: list[tuple[RecordKind, bytes, bytes]]
                    ) -> list[Headers]:
    """The headers of a transaction's signed records, one signature per SIGNED_TOGETHER of
    them (streams.signing.batches, as the worker signs its transactions), so that a proof
    stays within the room a record's size check leaves for its headers."""
    return [headers for at in range(0, len(records), SIGNED_TOGETHER)
            for headers in signer.headers_each(records[at:at + SIGNED_TOGETHER])]


class Publisher:
    def __init__(self, settings: Settings) -> None:
        t = settings.topics
        self.settings, self.kafka = settings, settings.kafka
        self.verdicts, self.released, self.audit = t.verdicts, t.released, t.review_audit
        self.deadletter, self.worker_id = t.deadletter, settings.worker_id
        self.transactional_id = f"{settings.review_app_id}.publisher"
        # resumed from the last record this service signed (streams/audit/signatures.py)
        self.signatures = settings.audit_signatures()
        self.keeper = ChainKeeper(self.kafka, t.review_audit, [t.review_audit],
                                  self.signatures)
        self._producer: AIOKafkaProducer | None = None
        # verdicts and audit records are signed for their consumers
        self.signer = settings.signer("review")
        self.transaction_timeout_ms = settings.transaction_timeout_ms
        # each topic's record limit, read from the broker whenever a producer starts
        self.limits = OutputLimits(MAX_REQUEST)

    async def start(self) -> None:
        """Start the producer, fencing an earlier instance's (its open transaction aborts)."""
        if self._producer is None:
            self._producer = await start_transactional(
                self.kafka, self.transactional_id,
                transaction_timeout_ms=self.transaction_timeout_ms)
            await self._read_limits()

    async def _read_limits(self) -> None:
        try:
            self.limits = await read_output_limits(
                self.kafka, [self.verdicts, self.released, self.audit], MAX_REQUEST)
        except Exception as exc:  # noqa: BLE001 - the limits read before stand
            log.warning("cannot read the review topics' max.message.bytes (%s); records are "
                        "sized against the limits read before", type(exc).__name__)

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await stop_quietly(producer)

    async def commit(self, effects: Effects) -> None:
        """Send the effects in one transaction. Raises AuditRejected before sending anything
        when an audit record fails the evidence contract; any Kafka error aborts the
        transaction and is raised (nothing of it reaches a read_committed consumer)."""
        for record in effects.audit:
            problems = evidence_problems(record)
            if problems:
                await self._reject(record, problems)
                raise AuditRejected(record, problems)
        if not effects:
            return
        await self.start()
        producer = self._producer
        assert producer is not None
        verdicts = [(v.job_id.encode(), v.model_dump_json().encode()) for v in effects.verdicts]
        releases = [(result_key(r.source.topic if r.source else None, r.job_id),
                     r.model_dump_json().encode()) for r in effects.releases]
        try:
            self._check_sizes(verdicts, releases, effects)
        except Unwritable:  # with the limits as they are now (an operator may have raised one)
            await self._read_limits()
            self._check_sizes(verdicts, releases, effects)
        chain = await self.keeper.chain_for([AUDIT_PARTITION])
        crash_point("before_transaction")
        limit_s = given_up_after_s(self.transaction_timeout_ms)
        try:
            async with asyncio.timeout(limit_s):
                sealed = [(r.job_id.encode(), chain.seal(r, AUDIT_PARTITION).value)
                          for r in effects.audit]
                signed = signed_together(
                    self.signer,
                    [(RecordKind.VERDICT, key, value) for key, value in verdicts]
                    + [(RecordKind.REVIEW_AUDIT_RECORD, key, value) for key, value in sealed])
                outputs: list[Output] = [
                    (self.verdicts, key, value, None, headers)
                    for (key, value), headers in zip(verdicts, signed, strict=False)]
                outputs += [(self.released, key, value, None, None) for key, value in releases]
                outputs += [(self.audit, key, value, AUDIT_PARTITION, headers)
                            for (key, value), headers in zip(sealed, signed[len(verdicts):],
                                                             strict=True)]
                await producer.begin_transaction()
                # record batches within each topic's limit: the broker holds a batch, not
                # only a record, to it (a tick's audit records share one partition)
                await delivered(await send_batched(producer, outputs, self.limits.limit))
                crash_point("before_commit")
                await hang_point("before_commit")
                await producer.commit_transaction()
                # test hook: a commit that landed and whose answer never comes
                await hang_point("after_commit")
        except BaseException as exc:
            # the records sealed above may or may not be written: read the head again
            self.keeper.discard([AUDIT_PARTITION])
            await self._abort(producer)
            landed = None if isinstance(exc, asyncio.CancelledError) else \
                await self.settle(effects)
            if landed is None and not isinstance(exc, asyncio.CancelledError):
                raise OutcomeUnknown(f"the transaction failed ({type(exc).__name__}) and "
                                     "whether its commit landed cannot be read now") from exc
            if not landed:
                if isinstance(exc, TimeoutError):
                    raise TimeoutError(f"the transaction did not end within {limit_s:.0f} s "
                                       "(the broker aborts it)") from None
                raise
            log.warning("a review transaction failed (%s) but its commit had landed: its "
                        "verdicts stand", type(exc).__name__)
        crash_point("after_commit")
        for verdict in effects.verdicts:
            log.info("verdict %s on %s: %s by %s%s", verdict.verdict_id, verdict.item_id,
                     verdict.verdict.value, verdict.approver_id,
                     " (automatic)" if verdict.automatic else "")
        for release in effects.releases:
            log.info("released the quarantined result at %s after review",
                     release.source.key if release.source else "?")

    def _signed_here(self, message: Message) -> bool:
        """A record of the review audit topic this service signed (another writer's record
        appended there must not decide whether a verdict was given)."""
        return self.signatures.problem(message.topic, message.partition, message.offset,
                                       message.key, message.value, message.headers) is None

    def _check_sizes(self, verdicts: list[tuple[bytes, bytes]],
                     releases: list[tuple[bytes, bytes]], effects: Effects) -> None:
        """Raise Unwritable, before anything is sent, when a record is larger than its topic
        takes (the broker would refuse it on every retry). An audit record is sized before it
        is sealed, with room for its chain."""
        audit = [(r.job_id.encode(), r.model_dump_json().encode() + b" " * CHAIN_ROOM)
                 for r in effects.audit]
        for what, topic, records, jobs in (
                ("verdict", self.verdicts, verdicts, [v.job_id for v in effects.verdicts]),
                ("released", self.released, releases, [r.job_id for r in effects.releases]),
                ("audit", self.audit, audit, [r.job_id for r in effects.audit])):
            limit = self.limits.limit(topic)
            for (key, value), job_id in zip(records, jobs, strict=True):
                if len(key) + len(value) > limit:
                    raise Unwritable(f"its {what} record would be {len(key) + len(value)} "
                                     f"bytes, over the {limit} bytes topic {topic} takes "
                                     "(its max.message.bytes, less room for the record's "
                                     "framing)", job_id)

    async def _abort(self, producer: AIOKafkaProducer) -> None:
        """Abort, and start the next transaction on a new producer (one whose transaction
        failed is not trusted with the next; the new one fences it)."""
        try:
            await producer.abort_transaction()
        except Exception as exc:  # noqa: BLE001 - the new producer fences this one anyway
            log.warning("aborting the review transaction failed (%s)", type(exc).__name__)
        await self.stop()

    async def settle(self, effects: Effects) -> bool | None:
        """Whether the failed transaction of `effects` committed after all: a new producer
        settles it (aborted, or its commit finished), then the review audit partition's last
        committed record this service signed says (every transaction with effects seals at least one; nothing
        else may be committed meanwhile: the committer sees to it). None when that cannot be
        read (the broker is away): the caller may not take it for either."""
        if not effects.audit:
            return False
        try:
            fail_point("landed_check")
            await self.start()
            tails = await last_messages(self.kafka, self.audit, [AUDIT_PARTITION],
                                        accept=self._signed_here)
            message = tails.get(AUDIT_PARTITION)
            last = json.loads(message.value or b"null" if message is not None else b"null")
        except Exception as exc:  # noqa: BLE001 - the broker is away: not known
            log.error("cannot tell whether a failed review transaction committed (%s); "
                      "nothing else is committed until it can", type(exc).__name__)
            await self.stop()
            return None
        return isinstance(last, dict) and last.get("event_id") == effects.audit[-1].event_id

    async def _reject(self, record: AuditRecord, problems: list[str]) -> None:
        log.error("audit record %s rejected by the evidence contract: %s; its verdict is not "
                  "given", record.event_id, "; ".join(problems))
        letter = rejected_audit_letter(record, problems, self.worker_id, datetime.now(UTC),
                                       key=record.job_id.encode())
        await self.start()
        producer = self._producer
        assert producer is not None
        await producer.begin_transaction()
        try:
            await delivered([await producer.send(self.deadletter, letter.model_dump_json().encode(),
                                                 key=record.job_id.encode())])
            await producer.commit_transaction()
        except BaseException:
            await self._abort(producer)
            raise
