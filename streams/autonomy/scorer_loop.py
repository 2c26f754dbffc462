"""The autonomy scorer's consume-score-produce loop, exactly once for read_committed consumers.

One loop reads three inputs as a read_committed consumer: the audit topic (decisions, counted
per pair and batch, from records the worker signed; any other is a `bad_signature` dead letter,
as a verdict whose signature fails) and the verdicts topic, which it turns into scorer events on its events
topic (keyed by pair, where `autonomy approve` also sends sign-offs), and the events topic,
which it scores. Everything one batch produces (events; each scored pair's full state on the
scorer's compacted state topic; the pair's record on the autonomy topic; level-change audit
records sealed into the autonomy audit chain) and the batch's input offsets go out in one
Kafka transaction. A crash, or a failed transaction, leaves nothing of the batch visible to a
read_committed consumer; the restarted scorer (or the retry) starts from the committed offsets
with the committed states, so no decision, verdict or sign-off counts twice and none is lost.

One instance at a time: its transactional id is fixed, so a second instance fences the first
(whose next transaction fails, and which then stops). The broker fences the scorer in the same
way when it aborts a transaction that outlived the transaction timeout (a broker outage or a
pause longer than it): a transaction older than the timeout when it is fenced is taken for
that, and the scorer starts its producer again (fencing whoever holds the id now) and resumes
from the committed offsets and states. A transaction that does not end at all is given up as
failed once the broker has surely aborted it (streams.transactional.given_up_after_s).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import ProducerFenced

from policies.sections.autonomy import ActionClassRule
from policies.sections.trust import TrustPolicy
from sampling.autonomy import AutonomyState, SignOff
from streams.audit.evidence import evidence_problems, rejected_audit_letter
from streams.audit.keeper import ChainKeeper
from streams.autonomy.events import EVENT, from_audit, from_verdict, pair_key, pair_of
from streams.autonomy.reload import PolicyHolder
from streams.autonomy.scoring import score
from streams.autonomy.signed_topic import read_signed
from streams.autonomy.signoff_identity import signoff_problem
from streams.config import Settings
from streams.kafka_admin import partition_counts
from streams.metrics.loop_observer import ScorerObserver
from streams.records import SourceRef, to_json_bytes
from streams.signing import BadSignature, RecordKind, TopicSigner, bad_signature_letter
from streams.signing.keys import TrustedKey
from streams.transactional import (
    CLOSE_TIMEOUT_S,
    MAX_REQUEST,
    crash_point,
    delivered,
    given_up_after_s,
    hang_point,
    start_transactional,
    stop_quietly,
)
from streams.worker.decided import Output, send_batched
from streams.worker.output_limits import OutputLimits, read_output_limits

log = logging.getLogger(__name__)

Out = tuple[str, bytes, bytes, int | None]  # topic, key, value, partition
MAX_BACKOFF_S = 5.0


class FencedByAnotherScorer(Exception):
    """Another scorer started under this one's transactional id: this one stops."""


class ScorerLoop:
    def __init__(self, settings: Settings, app_id: str, events_topic: str, state_topic: str,
                 policy: PolicyHolder, observer: ScorerObserver | None = None) -> None:
        t = settings.topics
        self.observer = observer or ScorerObserver()  # metrics and health (streams.metrics)
        self.settings, self.policy = settings, policy
        self.kafka = settings.kafka
        self.audit_in, self.verdicts_in, self.events = t.audit, t.verdicts, events_topic
        self.state_topic, self.levels, self.audit_out = state_topic, t.autonomy, t.autonomy_audit
        self.deadletter = t.deadletter
        self.group, self.transactional_id = f"{app_id}-scorer", f"{app_id}.scorer"
        self.keeper = ChainKeeper(self.kafka, t.autonomy_audit, [events_topic],
                                  settings.audit_signatures())  # resumed from its own signed
        self.states: dict[str, AutonomyState] = {}
        # Verdicts and events count only when signed by their producers; the scorer signs
        # its events and levels (streams.signing).
        self.verifier = settings.verifier()
        # Decisions count only from records of the worker's audit topic the worker signed
        # (below AFTERGUARD_AUDIT_UNSIGNED_BEFORE: the unsigned ones of before the upgrade).
        self.audit_signatures = settings.audit_signatures(self.verifier)
        self.signer = TopicSigner(settings.signer("autonomy"), {
            events_topic: RecordKind.AUTONOMY_EVENT, t.autonomy: RecordKind.AUTONOMY_LEVEL,
            state_topic: RecordKind.AUTONOMY_STATE,
            t.autonomy_audit: RecordKind.AUTONOMY_AUDIT_RECORD})
        self.sealing = settings.deadletter_key()
        self._lettered: list[tuple[str, str]] = []  # (input topic, error) of this batch's letters
        self.transaction_timeout_ms = settings.transaction_timeout_ms
        self._producer: AIOKafkaProducer | None = None
        # each output topic's record limit, read from the broker whenever a producer starts
        self.limits = OutputLimits(MAX_REQUEST)
        self._failures = 0

    async def run(self, stopping: Callable[[], bool]) -> None:
        consumer = self.kafka.consumer(
            group_id=self.group, enable_auto_commit=False, isolation_level="read_committed",
            auto_offset_reset="earliest")
        try:
            await self._start_producer()
            await consumer.start()
            tps = await self._assign(consumer)
            await self._restore()
            self.observer.restored()
            self.observer.started(consumer)
            log.info("autonomy scorer: %d pair states restored; reading %s", len(self.states),
                     ", ".join(sorted({tp.topic for tp in tps})))
            while not stopping():
                self.observer.beat()
                batches = await consumer.getmany(timeout_ms=500, max_records=500)
                if batches and not await self._process(batches):
                    await self._recover(consumer, tps, stopping)
        finally:
            self.observer.stopped()
            await consumer.stop()
            if self._producer is not None:
                await stop_quietly(self._producer)

    async def _start_producer(self) -> AIOKafkaProducer:
        """Start the producer under the scorer's transactional id: that fences the previous
        one, whose open transaction is aborted (or, if its commit was under way, finished)."""
        self._producer = await start_transactional(
            self.kafka, self.transactional_id,
            transaction_timeout_ms=self.transaction_timeout_ms)
        await self._read_limits()
        return self._producer

    async def _read_limits(self) -> None:
        """Each output topic's limit as the broker has it now (after a failed transaction
        too: an operator may have changed one)."""
        try:
            self.limits = await read_output_limits(
                self.kafka, [self.events, self.state_topic, self.levels, self.audit_out,
                             self.deadletter], MAX_REQUEST)
        except Exception as exc:  # noqa: BLE001 - the limits read before stand
            log.warning("cannot read the autonomy topics' max.message.bytes (%s); record "
                        "batches are sized by the limits read before", type(exc).__name__)

    async def _assign(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        topics = [self.audit_in, self.verdicts_in, self.events]
        counts = await partition_counts(self.kafka, topics)
        tps = [TopicPartition(topic, p) for topic in topics for p in range(counts[topic])]
        consumer.assign(tps)
        await self._seek_committed(consumer, tps)
        return tps

    @staticmethod
    async def _seek_committed(consumer: AIOKafkaConsumer, tps: list[TopicPartition]) -> None:
        for tp in tps:
            committed = await consumer.committed(tp)  # asks the broker (never cached)
            if committed is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)

    async def _recover(self, consumer: AIOKafkaConsumer, tps: list[TopicPartition],
                       stopping: Callable[[], bool]) -> None:
        """After a failed transaction: a new producer under the same id (it fences the failed
        transaction: aborted, or its commit finished if it was under way, so whether the batch
        counted is settled), then the committed offsets, pair states and audit chain heads,
        however long the broker takes to answer. The batch is scored again only if it did not
        commit; never twice."""
        if self._producer is not None:  # the next producer fences it anyway
            await _abort_quietly(self._producer)
        while not stopping():
            await asyncio.sleep(self._backoff())
            try:
                if self._producer is not None:
                    await stop_quietly(self._producer)
                    self._producer = None
                await self._start_producer()
                self.keeper.forget()
                await self._seek_committed(consumer, tps)
                await self._restore()
                log.info("autonomy scorer resumed from its committed offsets and %d pair "
                         "states", len(self.states))
                return
            except Exception as exc:  # noqa: BLE001 - the broker may be away for a while
                log.warning("resuming the autonomy scorer: %s: %s", type(exc).__name__, exc)
                self._failures += 1

    def _backoff(self) -> float:
        self.observer.beat()  # retrying is progress (an outage is not a stuck loop)
        return min(MAX_BACKOFF_S, 0.2 * 2.0 ** min(self._failures, 5))

    async def _restore(self) -> None:
        """Each pair's last committed state signed by the scorer (the compacted state topic).
        A state record that is not is passed over: its pair keeps its last signed state, or
        starts from the policy's initial level when compaction removed that one (never a level
        nobody earned)."""
        read = await read_signed(self.kafka, self.state_topic, self.verifier,
                                 RecordKind.AUTONOMY_STATE, AutonomyState)
        self.states.clear()  # in place: the metrics hold this dict
        for state in read.records:
            self.states[_pair(state)] = state
        if read.refused:
            log.warning("passed over %d autonomy state record(s) on %s whose signature fails",
                        read.refused, self.state_topic)
        if read.invalid:
            log.warning("passed over %d autonomy state record(s) on %s of an earlier format "
                        "(kept per claimed agent id, before levels were kept per verified "
                        "identity): those pairs start again from the policy's initial level "
                        "(docs/autonomy.md, upgrading)", read.invalid, self.state_topic)

    async def _process(self, batches: dict[TopicPartition, list[Any]]) -> bool:
        """Score one batch in one transaction: True when it committed, False when it failed
        (nothing of it counted in memory; the caller resumes from what was committed)."""
        now = datetime.now(UTC)
        changed: dict[str, AutonomyState] = {}
        outs: list[Out] = []
        self._lettered = []
        audits: list[tuple[int, Any, bytes]] = []  # (events partition, record, key)
        for tp, messages in batches.items():
            if tp.topic == self.audit_in:
                signed = []
                for m in messages:
                    problem = self.audit_signatures.problem(m.topic, m.partition, m.offset,
                                                            m.key, m.value, m.headers)
                    if problem is None:
                        signed.append(m.value)
                    else:
                        outs.append(self._dead_letter(m, BadSignature(problem), now))
                outs += [self._event(seen) for seen in from_audit(signed, *self._resolving())]
            elif tp.topic == self.verdicts_in:
                for m in messages:
                    if (refused := self._refused(RecordKind.VERDICT, m, now)) is not None:
                        outs.append(refused)
                    elif (seen := from_verdict(m.value, *self._resolving())) is not None:
                        outs.append(self._event(seen))
            else:
                for message in messages:
                    signer = self.verifier.signer(RecordKind.AUTONOMY_EVENT, message.key,
                                                  message.value, message.headers)
                    if isinstance(signer, BadSignature):
                        outs.append(self._dead_letter(message, signer, now))
                        continue
                    outs += self._score(message, signer, now, changed, audits)
        offsets = {tp: messages[-1].offset + 1 for tp, messages in batches.items()}
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            await self._transact(outs, audits, offsets)
        except ProducerFenced as exc:
            if loop.time() - began < self.transaction_timeout_ms / 1000:
                # too young for the broker to have timed it out: another scorer took over
                log.critical("another autonomy scorer took over (this one was fenced); stopping")
                raise FencedByAnotherScorer from exc
            return self._failed(exc, "the broker aborted it for outliving the transaction "
                                     "timeout")
        except Exception as exc:  # noqa: BLE001 - aborted and settled: nothing of it is visible
            return self._failed(exc, "")
        crash_point("after_commit")
        self._failures = 0
        self.states.update(changed)
        self.observer.committed(batches)
        self.observer.level_changes([record.payload for _, record, _ in audits])
        self.observer.dead_lettered(self._lettered)
        return True

    async def _transact(self, outs: list[Out], audits: list[tuple[int, Any, bytes]],
                        offsets: dict[TopicPartition, int]) -> None:
        """The batch's transaction, given up (as failed) once the broker has surely aborted
        it: waiting longer cannot end it (streams.transactional.given_up_after_s)."""
        producer = self._producer
        assert producer is not None
        limit_s = given_up_after_s(self.transaction_timeout_ms)
        try:
            async with asyncio.timeout(limit_s):
                chain = await self.keeper.chain_for({p for p, _, _ in audits})
                outputs: list[Output] = [
                    (topic, key, value, partition, self.signer.headers(topic, key, value))
                    for topic, key, value, partition in outs]
                for partition, record, key in audits:  # (a failure forgets the heads sealed)
                    sealed = chain.seal(record, partition)
                    outputs.append((self.audit_out, key, sealed.value, sealed.partition,
                                    self.signer.headers(self.audit_out, key, sealed.value)))
                await producer.begin_transaction()
                # record batches within each topic's limit: the broker holds a batch, not
                # only a record, to it (one pair's events share a partition)
                await delivered(await send_batched(producer, outputs, self.limits.limit))
                await producer.send_offsets_to_transaction(offsets, self.group)
                crash_point("before_commit")
                await hang_point("before_commit")
                await producer.commit_transaction()
        except TimeoutError:
            raise TimeoutError(f"the transaction did not end within {limit_s:.0f} s (the "
                               "broker aborts it)") from None

    def _failed(self, exc: Exception, why: str) -> bool:
        log.error("an autonomy transaction failed (%s: %s)%s; the scorer resumes from its "
                  "committed offsets and states", type(exc).__name__, exc,
                  f": {why}" if why else "")
        self._failures += 1
        self.observer.aborted()
        return False

    def _refused(self, kind: RecordKind, message: Any, now: datetime) -> Out | None:
        """The dead letter of a record whose signature fails (it counts for nothing)."""
        problem = self.verifier.check(kind, message.key, message.value, message.headers)
        if problem is None:
            return None
        return self._dead_letter(message, problem, now)

    def _dead_letter(self, message: Any, problem: BadSignature, now: datetime) -> Out:
        self._lettered.append((message.topic, "bad_signature"))
        log.warning("refused %s[%d]@%d: %s", message.topic, message.partition, message.offset,
                    problem.reason)
        source = SourceRef(topic=message.topic, partition=message.partition,
                           offset=message.offset)
        letter = bad_signature_letter(problem, source, message.key, message.value,
                                      self.settings.worker_id, now, self.sealing)
        where = f"{message.topic}/{message.partition}/{message.offset}".encode()
        return (self.deadletter, where, to_json_bytes(letter), None)

    def _resolving(self) -> tuple[tuple[ActionClassRule, ...], TrustPolicy | None]:
        """What turns a decision or verdict into its pair: the policy's action classes and
        its trust section (the verified identity of the result's source topic)."""
        policy = self.policy.policy.policy
        classes = policy.autonomy.action_classes if policy.autonomy is not None else ()
        return tuple(classes), policy.trust

    def _event(self, seen: Any) -> Out:
        return (self.events, pair_of(seen).encode(), seen.model_dump_json().encode(), None)

    def _score(self, message: Any, signer: TrustedKey, now: datetime,
               changed: dict[str, AutonomyState],
               audits: list[tuple[int, Any, bytes]]) -> list[Out]:
        try:
            event = EVENT.validate_json(message.value or b"")
        except ValueError:
            log.warning("skipped an autonomy event that does not parse (offset %d)",
                        message.offset)
            return []
        if isinstance(event, SignOff) and (forged := signoff_problem(event, signer)):
            return [self._dead_letter(message, forged, now)]
        key = pair_of(event)
        state = changed.get(key) or self.states.get(key)
        source = SourceRef(topic=message.topic, partition=message.partition,
                           offset=message.offset)
        scored = score(state, event, self.policy.policy, self.settings.worker_id, source, now)
        changed[key] = scored.state
        outs: list[Out] = [
            (self.state_topic, key.encode(), scored.state.model_dump_json().encode(), None),
            (self.levels, key.encode(), scored.state.record().model_dump_json().encode(), None)]
        if scored.audit is not None:
            problems = evidence_problems(scored.audit)
            if problems:  # a bug, not input: the change stands, the record is a dead letter
                log.error("autonomy audit record %s rejected by the evidence contract: %s",
                          scored.audit.event_id, "; ".join(problems))
                letter = rejected_audit_letter(scored.audit, problems, self.settings.worker_id,
                                               now, source, key.encode())
                outs.append((self.deadletter, key.encode(),
                             letter.model_dump_json().encode(), None))
                self._lettered.append((message.topic, "rejected_audit"))
            else:
                audits.append((message.partition, scored.audit, key.encode()))
                change = scored.audit.payload
                log.info("autonomy of %s: level %s -> %s (%s)", key.replace("\x1f", " / "),
                         getattr(change, "from_level", "?"), getattr(change, "to_level", "?"),
                         getattr(change, "trigger", "?"))
        return outs


async def _abort_quietly(producer: AIOKafkaProducer) -> None:
    try:
        await asyncio.wait_for(producer.abort_transaction(), CLOSE_TIMEOUT_S)
    except Exception:  # noqa: BLE001 - the new producer fences this one anyway
        log.warning("aborting the failed autonomy transaction failed")


def _pair(state: AutonomyState) -> str:
    return pair_key(state.identity, state.action_class)
