"""One batch of input records to the records to produce, whatever the pipeline does.

The pipeline guards each record itself; this is the guard around it. When deciding the batch
raises (or one of its records cannot be made to fit its topic), the in-memory state the attempt
touched is rolled back (audit chain heads, first-seen sightings, reviewer budget counts) and the
records are decided one at a time: a record that fails alone becomes one dead letter
(`processing_error`, nothing released) and every other record of the batch is decided as usual.
A record whose released decision does not fit its topic is decided again as withheld: held for
review with its output by reference to its input (streams/worker/withheld.py), never released
and never lost to the dead letters while its records can be written. The batch is decided again
once with those records withheld (the rest of it as before), not one record at a time: an agent
that makes its output grow costs the batch one more pass, not one pass per record.
Synchronous and free of Kafka, so it is tested without a broker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson

from sampling import BudgetLedger
from sampling.budget import AgentCounts
from streams.audit.chain import AuditChain, ChainHead
from streams.logs.context import batch_context, record_fields
from streams.metrics.tally import TallyMark
from streams.records import SourceRef
from streams.worker.codec import RawRecord, Rejected
from streams.worker.first_seen import FirstSeen
from streams.worker.output_limits import OutputLimits, OversizeOutput
from streams.worker.pipeline import Emit, Pipeline
from streams.worker.withheld import OUTPUT_TOO_LARGE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemoryCheckpoint:
    """The worker's in-memory state that deciding a record changes, as it was at one point."""

    heads: dict[int, ChainHead]
    sightings: int
    budget_used: dict[tuple[str, datetime], int] | None
    budget_mandatory: dict[tuple[str, datetime], int] | None
    tallied: TallyMark | None = None  # outcomes noted for the metrics (streams.metrics.tally)
    budget_by_agent: AgentCounts | None = None  # admitted per (group, window, agent)


class BatchDecider:
    def __init__(self, pipeline: Pipeline, first_seen: FirstSeen, limits: OutputLimits) -> None:
        self.pipeline, self.first_seen = pipeline, first_seen
        self.limits = limits

    @property
    def limits(self) -> OutputLimits:
        return self._limits

    @limits.setter
    def limits(self, limits: OutputLimits) -> None:
        """The topics' limits, and from them how many findings records itemise."""
        self._limits = limits
        self.pipeline.bounds = limits.record_bounds(self.pipeline.topics)

    def decide(self, batch: Sequence[RawRecord], now: datetime, chain: AuditChain) -> list[Emit]:
        """The records to produce for `batch`, each within its topic's limit."""
        with batch_context(batch):  # JSON log lines say which records they are about
            before = self.checkpoint(chain)
            try:
                emits = self.pipeline.process(batch, now, chain)
                withhold = self._too_large_to_release(emits)
                if withhold:
                    self.rollback(chain, before)
                    emits = self.pipeline.process(batch, now, chain, withhold=withhold)
                self.limits.check(emits)
                return emits
            except Exception as exc:  # noqa: BLE001 - one record must not take its batch
                self.rollback(chain, before)
                log.warning("deciding a batch of %d records failed (%s); deciding them one at "
                            "a time", len(batch), type(exc).__name__)
            emits = []
            for raw in batch:
                emits.extend(self._decide_one(raw, now, chain))
            return emits

    def _decide_one(self, raw: RawRecord, now: datetime, chain: AuditChain) -> list[Emit]:
        before = self.checkpoint(chain)
        withhold: dict[tuple[str, int, int], str] | None = None
        while True:
            try:
                emits = (self.pipeline.process([raw], now, chain) if withhold is None else
                         self.pipeline.process([raw], now, chain, withhold=withhold))
                return self.limits.fit(emits, raw, self.pipeline.topics)
            except OversizeOutput as exc:
                self.rollback(chain, before)
                if withhold is None and exc.topic != self.pipeline.topics.deadletter:
                    log.warning("one result's decision does not fit its topic (%s): held for "
                                "review with its output by reference", exc,
                                extra=record_fields(raw))
                    withhold = {(raw.topic, raw.partition, raw.offset): OUTPUT_TOO_LARGE}
                    continue
                return [self._failed(raw, exc, now)]
            except Exception as exc:  # noqa: BLE001 - this record's outcome, never its batch's
                self.rollback(chain, before)
                return [self._failed(raw, exc, now)]

    def _too_large_to_release(self, emits: list[Emit]) -> dict[tuple[str, int, int], str]:
        """The inputs (topic, partition, offset) whose released decision is over the released
        topic's limit, to withhold; the decision names its input (`source`)."""
        withhold: dict[tuple[str, int, int], str] = {}
        for emit in emits:
            if emit.topic == self.pipeline.topics.released and not self.limits.fits(emit):
                source = SourceRef.model_validate(orjson.loads(emit.value)["source"])
                log.warning("a result's released decision (%d bytes) does not fit its topic: "
                            "held for review with its output by reference", len(emit.value),
                            extra={"topic": source.topic, "partition": source.partition,
                                   "offset": source.offset})
                withhold[(source.topic, source.partition, source.offset)] = OUTPUT_TOO_LARGE
        return withhold

    def _failed(self, raw: RawRecord, exc: Exception, now: datetime) -> Emit:
        log.error("one record failed on its own (%s) and goes to the dead-letter topic",
                  type(exc).__name__, extra=record_fields(raw))
        return self.failed_letter(raw, exc, now)

    def failed_letter(self, raw: RawRecord, exc: Exception, now: datetime) -> Emit:
        """The dead letter of a record that could not be decided; small whatever the record."""
        reason = (f"the worker failed on this record ({type(exc).__name__}); nothing was "
                  f"released")
        if isinstance(exc, OversizeOutput):
            reason = f"its decision records do not fit their topics ({exc}); nothing was released"
        topic = self.pipeline.topics.deadletter
        copied = (len(raw.value or b"") + 2 * len(raw.key or b"")) * 4 // 3 + 4096  # base64
        keep = copied <= self.limits.limit(topic)
        if not keep and raw.value is not None:
            reason += (f"; the value ({len(raw.value)} bytes) is not copied here, it is larger "
                       f"than this topic's records may be: read it at its source offset")
        # Sealed like every dead letter (streams/deadletter/sealing.py): never plaintext.
        return self.pipeline.dead_letter(raw, Rejected("processing_error", reason), now,
                                         keep_value=keep)

    def checkpoint(self, chain: AuditChain) -> MemoryCheckpoint:
        ledger = self._ledger()
        return MemoryCheckpoint(
            chain.snapshot(), self.first_seen.checkpoint(),
            dict(ledger.used) if ledger is not None else None,
            dict(ledger.mandatory) if ledger is not None else None,
            None if self.pipeline.tally is None else self.pipeline.tally.mark(),
            dict(ledger.by_agent) if ledger is not None else None)

    def rollback(self, chain: AuditChain, to: MemoryCheckpoint) -> None:
        chain.restore(to.heads)
        self.first_seen.rollback(to.sightings)
        if self.pipeline.tally is not None and to.tallied is not None:
            self.pipeline.tally.rollback(to.tallied)
        ledger = self._ledger()
        if ledger is not None and to.budget_used is not None and to.budget_mandatory is not None:
            ledger.used, ledger.mandatory = dict(to.budget_used), dict(to.budget_mandatory)
            ledger.by_agent = dict(to.budget_by_agent or {})

    def _ledger(self) -> BudgetLedger | None:
        return self.pipeline.review.ledger
