"""One batch of raw records in, the records to produce out. Pure and synchronous: the faust agent
only feeds it and sends what it returns, so the whole path is tested without Kafka."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from detectors import DetectorEngine
from policies import (
    Decision,
    HashKey,
    LoadedPolicy,
    Outcome,
    SafetyDecision,
    decide,
    fail_closed,
)
from policies.claims import Views, identity_check
from policies.claims import views as claim_views
from policies.decision import result_key
from policies.sections.limits import Limits
from sampling import ReviewItem, SamplingRecord
from streams.audit.chain import AuditChain
from streams.audit.evidence import decision_problems, rejected_audit_letter
from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.deadletter.sealing import context as seal_context
from streams.logs.context import record_fields
from streams.metrics.tally import OutcomeTally
from streams.records import AuditRecord, DeadLetter, SourceRef, fields_json, to_json_bytes
from streams.registry.framing import is_framed
from streams.worker.codec import Decoded, RawRecord, Rejected, decode
from streams.worker.list_bounds import DEFAULT_LIMIT, RecordBounds
from streams.worker.metadata_scan import MetadataScanner
from streams.worker.result_records import (
    audit_fields,
    decision_fields,
    redaction_fields,
    source_fields,
    summaries,
)
from streams.worker.review_stage import ReviewStage, sampling_failed
from streams.worker.scan_budget import DetectorTimeout, ScanOutcome, scan_results
from streams.worker.stage_clock import StageClock
from streams.worker.value_count import output_values
from streams.worker.withheld import output_reference, withheld

log = logging.getLogger(__name__)


MAX_KEPT_KEY_BYTES = 4096  # a dead letter keeps (sealed) an input key up to this size
_IDENTIFIER_KEY = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_SET = object.__setattr__


@dataclass(frozen=True)
class Emit:
    """A record to produce."""

    topic: str
    key: bytes | None
    value: bytes
    partition: int | None = None  # set for audit records: their chain's partition

    def __init__(self, topic: str, key: bytes | None, value: bytes,
                 partition: int | None = None) -> None:
        # the dataclass's own, written out: the generated one is not compiled (several per
        # result); its fields set in one step, as the instance's dict in their order
        _SET(self, "__dict__", {"topic": topic, "key": key, "value": value,
                                "partition": partition})


class Pipeline:
    """decode → scan → decide → records, with every failure on the way failing closed."""

    def __init__(self, engine: DetectorEngine, policy: LoadedPolicy, key: HashKey,
                 topics: Topics, worker_id: str,
                 clock: Callable[[], float] = time.perf_counter,
                 review: ReviewStage | None = None,
                 deadletter_key: DeadLetterKey | None = None) -> None:
        self.engine, self.policy, self.key = engine, policy, key
        self.topics, self.worker_id, self.clock = topics, worker_id, clock
        self.chain = AuditChain.fresh(1)  # the worker passes the audit topic's own chain
        self.review = review or ReviewStage(None, lambda _agent, _action: False)
        self.deadletter_key = deadletter_key  # None: dead letters keep no bytes at all
        self.tally: OutcomeTally | None = None  # the worker's metrics (counted at commit)
        self._metadata: MetadataScanner | None = None  # the policy's, built on first use
        self.stages = StageClock()  # where the time goes (not the budget's clock)
        # How many findings and redactions records itemise (the worker sets it from its topics'
        # limits: streams/worker/output_limits.py)
        self.bounds = RecordBounds.for_limit(DEFAULT_LIMIT)

    def use(self, policy: LoadedPolicy, engine: DetectorEngine) -> None:
        """Switch to another policy and the engine it needs. `process` reads both once per batch,
        so a switch between batches (the worker's event loop) never mixes two policies."""
        self.policy, self.engine = policy, engine

    def process(self, batch: Sequence[RawRecord], now: datetime,
                chain: AuditChain | None = None,
                withhold: Mapping[tuple[str, int, int], str] | None = None) -> list[Emit]:
        """`chain` must hold the heads of the audit partitions of the batch's source
        partitions (`chain.partition_for`); audit records are sealed into it in batch order.
        `withhold`: records (topic, partition, offset) to hold whatever their decision, with
        the reason (streams/worker/withheld.py)."""
        chain = chain or self.chain
        policy, engine = self.policy, self.engine  # one policy for the whole batch
        limits = policy.policy.limits
        stages = self.stages
        stages.results += len(batch)
        started = stages.clock()
        emits: list[Emit] = []
        valid: list[tuple[RawRecord, Decoded]] = []
        for raw, decoded in self._metadata_checked(
                [(raw, self._decode(raw, limits)) for raw in batch], policy):
            if isinstance(decoded, Decoded):
                decoded = _identity_checked(raw, decoded, policy)
            if isinstance(decoded, Rejected):
                emits.append(self.dead_letter(raw, decoded, now))
            else:
                valid.append((raw, decoded))
        started = stages.add("decode", started)
        budget_s = limits.scan_timeout_ms / 1000
        unscanned: dict[int, str] = {}  # id(decoded): why it is quarantined unscanned
        scannable, sizes = [], []
        for raw, d in valid:
            reason, size = _unscannable(raw, d, limits)
            if reason is None:
                scannable.append((raw, d))
                sizes.append(size)
            else:
                unscanned[id(d)] = reason
        scan_started = self.clock()
        findings = scan_results(engine, [d.result for _, d in scannable], budget_s, self.clock,
                                sizes, limits.max_values)
        tally = self.tally
        if tally is not None and scannable:
            tally.scanned(self.clock() - scan_started)
        found = {id(d): f for (_, d), f in zip(scannable, findings, strict=True)}
        started = stages.add("scan", started)
        for raw, d in valid:
            try:
                seen = claim_views(d.result, raw.topic, policy.policy.trust)
                outcome = self._outcome(seen, found.get(id(d)), policy, budget_s,
                                        unscanned.get(id(d), "payload_too_large"))
                if withhold and (reason := withhold.get((raw.topic, raw.partition,
                                                         raw.offset))) is not None:
                    outcome = withheld(outcome, output_reference(
                        raw, d.job_hash, len(raw.value or b"")), reason)
                started = stages.add("decide", started)
                sampled = self._sample(seen, d.job_hash, outcome, policy, now, raw.topic)
                started = stages.add("sample", started)
                records, audit = self._decision_records(raw, d, seen, outcome, sampled, policy,
                                                         now)
                started = stages.add("records", started)
                if audit is not None:  # sealed last: a failure above leaves no chain gap
                    sealed = chain.seal_decision(audit, raw.partition)
                    records.append(Emit(self.topics.audit, records[0].key, sealed.value,
                                        sealed.partition))
                    started = stages.add("seal", started)
                emits.extend(records)
                if tally is not None:
                    tally.decided(raw.topic, outcome)
            except Exception as exc:  # noqa: BLE001 - a poison record must not stop the worker
                # Nothing is released for it; its bytes are kept on the dead-letter topic.
                log.error("building the records of one result failed: %s", type(exc).__name__,
                          extra=record_fields(raw, d.job_hash))
                emits.append(self.dead_letter(raw, Rejected(
                    "processing_error", f"the worker failed on this record "
                    f"({type(exc).__name__}); nothing was released"), now))
        return emits

    @staticmethod
    def _decode(raw: RawRecord, limits: Limits) -> Decoded | Rejected:
        try:
            return decode(raw, limits)
        except Exception as exc:  # noqa: BLE001 - decode is bounded; this is the last net
            log.error("decoding one record failed: %s", type(exc).__name__,
                      extra=record_fields(raw))
            return Rejected("processing_error", f"the worker failed to decode this record "
                                                f"({type(exc).__name__})")

    def _metadata_for(self, policy: LoadedPolicy) -> MetadataScanner:
        scanner = self._metadata
        if scanner is None or scanner.policy is not policy:
            scanner = self._metadata = MetadataScanner(policy)
        return scanner

    def _metadata_checked(self, batch: list[tuple[RawRecord, Decoded | Rejected]],
                          policy: LoadedPolicy) -> list[tuple[RawRecord, Decoded | Rejected]]:
        """Results whose metadata holds a secret or a personal identifier become dead letters
        (streams.worker.metadata_scan); scanned together, or one by one if that fails."""
        decoded = [(i, d) for i, (_, d) in enumerate(batch) if isinstance(d, Decoded)]
        checked = list(batch)
        try:
            problems = self._metadata_for(policy).check_each([d.result for _, d in decoded])
        except Exception:  # noqa: BLE001 - each record alone: its failure is its own
            problems = [self._metadata_problem(d, policy) for _, d in decoded]
        for (index, _), problem in zip(decoded, problems, strict=True):
            if problem is not None:
                checked[index] = (batch[index][0], problem)
        return checked

    def _metadata_problem(self, decoded: Decoded, policy: LoadedPolicy) -> Rejected | None:
        try:
            return self._metadata_for(policy).check(decoded.result)
        except Exception as exc:  # noqa: BLE001 - fail closed: not decided, its bytes kept
            log.error("scanning one record's metadata failed: %s", type(exc).__name__)
            return Rejected("processing_error", f"the worker failed to scan this record's "
                                                f"metadata ({type(exc).__name__}); nothing was "
                                                f"released")

    def _key_is_clean(self, raw: RawRecord, rejected: Rejected) -> bool:
        """Whether a dead letter may be keyed by its input's key (an identifier the detectors
        find nothing in)."""
        if raw.key is None or rejected.error == "sensitive_metadata":
            return False
        try:
            return not self._metadata_for(self.policy).sensitive_key(raw.key)
        except Exception:  # noqa: BLE001 - keyed by its source instead
            return False

    def _outcome(self, seen: Views, findings: ScanOutcome | None, policy: LoadedPolicy,
                 budget_s: float, unscanned: str) -> Outcome:
        """`unscanned`: the reason it fails closed with when it was not scanned."""
        result = seen.claimed
        if findings is None:
            return fail_closed(unscanned, result.output)
        if isinstance(findings, DetectorTimeout):
            return fail_closed("detector_timeout", result.output)
        if isinstance(findings, Exception):
            return fail_closed("detector_error", result.output)
        started = self.clock()
        try:
            outcome = decide(seen.claimed, findings, policy.policy, self.key, seen.trusted)
        except Exception as exc:  # noqa: BLE001 - a policy error never releases an output
            log.error("policy evaluation failed: %s", type(exc).__name__)
            return fail_closed("policy_error", result.output)
        if self.clock() - started > budget_s:  # the budget covers the decision too
            log.warning("deciding one result took longer than the %.0f ms budget", budget_s * 1000)
            return fail_closed("detector_timeout", result.output)
        return outcome

    def _decision_records(self, raw: RawRecord, decoded: Decoded, seen: Views, outcome: Outcome,
                          sampled: SamplingRecord | None, policy: LoadedPolicy, now: datetime,
                          ) -> tuple[list[Emit], dict[str, Any] | None]:
        """The decision and review records, and the audit record's fields to seal after them
        (None when it fails the evidence contract: then the decision is only quarantined).
        Built as plain values in their models' field order (streams.worker.result_records)."""
        result = seen.claimed  # the agent's claims where they tighten the bound context
        source = source_fields(raw)
        listed = redaction_fields(self.bounds.redactions(outcome.redactions))
        decision = decision_fields(result, outcome, *listed, policy.snapshot, decoded.job_hash,
                                   now, source)
        audit = audit_fields(result, outcome, policy.snapshot, decoded.job_hash, now,
                             self.worker_id, self.key.key_id, raw, source, sampled, listed,
                             self.bounds.findings(summaries(outcome.scanned_output, outcome,
                                                            self.key)))
        key = result_key(raw.topic, result.job_id)  # never the job_id alone: see result_key
        problems = decision_problems(audit["event_id"], policy.snapshot, decoded.job_hash, now,
                                     self.worker_id)
        if problems:  # never audited, so never released (nor sent for review): quarantined
            log.error("audit record %s fails the evidence contract: %s", audit["event_id"],
                      "; ".join(problems), extra=record_fields(raw, decoded.job_hash))
            return [Emit(self.topics.quarantine, key, fields_json(decision, SafetyDecision)),
                    self._rejected_audit(raw, AuditRecord.model_validate(audit), problems,
                                         now)], None
        topic = (self.topics.quarantine if outcome.decision is Decision.QUARANTINE
                 else self.topics.released)
        emits = [Emit(topic, key, fields_json(decision, SafetyDecision))]
        if sampled is not None and sampled.selected:
            item = self.review.review_item(result, decoded.job_hash, outcome, sampled, policy,
                                           self.key, now, raw, self.bounds, listed)
            emits.append(Emit(self.topics.review, key, fields_json(item, ReviewItem)))
        return emits, audit

    def _sample(self, seen: Views, job_hash: str, outcome: Outcome,
                policy: LoadedPolicy, now: datetime, topic: str) -> SamplingRecord | None:
        result = seen.claimed
        try:
            record = self.review.sample(result, outcome, policy, now, job_hash, seen.trusted,
                                        topic)
            if record is not None and record.first_time_over_limit and self.tally is not None:
                self.tally.first_time_over_limit(topic)
            return record
        except Exception as exc:  # noqa: BLE001 - fail towards review, never away from it
            log.error("sampling failed for one result: %s", type(exc).__name__)
            return sampling_failed(result, policy)

    def _rejected_audit(self, raw: RawRecord, audit: AuditRecord, problems: list[str],
                        now: datetime) -> Emit:
        source = SourceRef(topic=raw.topic, partition=raw.partition, offset=raw.offset)
        letter = rejected_audit_letter(audit, problems, self.worker_id, now, source, raw.key)
        if self.tally is not None:
            self.tally.dead_lettered(raw.topic, letter.error)
        return Emit(self.topics.deadletter, raw.key, to_json_bytes(letter))

    def dead_letter(self, raw: RawRecord, rejected: Rejected, now: datetime,
                    keep_value: bool = True) -> Emit:
        """The dead letter of `raw`: its key and value sealed under the dead-letter key (none
        kept without a key; the value not kept when `keep_value` is false)."""
        source = SourceRef(topic=raw.topic, partition=raw.partition, offset=raw.offset)
        sealed = {}
        value = raw.value if keep_value else None
        key = raw.key if raw.key is not None and len(raw.key) <= MAX_KEPT_KEY_BYTES else None
        if self.deadletter_key is not None:
            sealed = {part: self.deadletter_key.seal(data, seal_context(
                          part, raw.topic, raw.partition, raw.offset))
                      for part, data in (("key", key), ("value", value))
                      if data is not None}
        letter = DeadLetter(
            error=rejected.error,  # type: ignore[arg-type]
            reason=rejected.reason, source=source, received_at=now, worker_id=self.worker_id,
            key_sealed=sealed.get("key"), value_sealed=sealed.get("value"),
            value_bytes=None if raw.value is None else len(raw.value),
        )
        if self.tally is not None:
            self.tally.dead_lettered(raw.topic, rejected.error)
        return Emit(self.topics.deadletter, letter_key(raw, self._key_is_clean(raw, rejected)),
                    to_json_bytes(letter))


def _unscannable(raw: RawRecord, decoded: Decoded, limits: Limits) -> tuple[str | None, int]:
    """Why a result is not scanned (over `max_payload_bytes` or `max_values`), else None and
    its values (an upper bound)."""
    value = raw.value or b""
    if len(value) > limits.max_payload_bytes:
        return "payload_too_large", 0
    values = output_values(value, decoded.result.output, limits.max_values, is_framed(value))
    return ("too_many_values", values) if values > limits.max_values else (None, values)


def _identity_checked(raw: RawRecord, decoded: Decoded,
                      policy: LoadedPolicy) -> Decoded | Rejected:
    """A result whose `agent_id`, `action` or `tenant` the policy's `trust.identities` do not
    allow on its input topic is not decided under them: it would borrow another agent's
    autonomy level, first-time marks and review record, or another tenant's data
    (docs/security.md). One that names no tenant is decided as its topic's."""
    result = decoded.result
    checked = identity_check(policy.policy.trust, raw.topic, result)
    if checked.refused:
        return Rejected("invalid_record", f"fields 'agent_id', 'action', 'tenant': not what the "
                                          f"policy's trust.identities "
                                          f"({', '.join(i.id for i in checked.refused)}) allow on "
                                          f"topic {raw.topic}; nothing was decided under them")
    if checked.tenant != result.tenant:  # named no tenant: decided as its topic's
        return replace(decoded, result=result.model_copy(update={"tenant": checked.tenant}))
    return decoded


def letter_key(raw: RawRecord, clean: bool = True) -> bytes:
    """A dead letter's Kafka key: the input's key when it has the strict identifier format of
    metadata (as a job_id, which keys every other output) and is `clean` (nothing sensitive in
    it), else its source `topic/partition/offset`: any other key is the agent's free bytes,
    kept only sealed."""
    if clean and raw.key is not None and _IDENTIFIER_KEY.fullmatch(raw.key):
        return raw.key
    return f"{raw.topic}/{raw.partition}/{raw.offset}".encode()

