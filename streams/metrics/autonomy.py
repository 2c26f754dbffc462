"""The autonomy scorer's metrics, counted when a batch's transaction commits.

| metric | labels | what |
|---|---|---|
| afterguard_autonomy_pairs | level | (agent, action class) pairs at each level (0-3) |
| afterguard_autonomy_level_changes_total | direction, trigger | promotions and demotions |
| afterguard_autonomy_inputs_total | topic | audit records, verdicts and events scored |
| afterguard_transactions_total | outcome | committed / aborted transactions |
| afterguard_dead_letters_total | topic, error | input records dead-lettered (bad_signature: unsigned, forged or sign-offs not by an operator key; rejected_audit) |
| afterguard_consumer_lag | topic, partition | records not yet scored |

Levels are counted per level, not per agent: agent ids are the agents' own claims, and an
agent could invent as many as it likes."""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Mapping
from typing import Any

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry, Counter, Gauge

from streams.metrics.health import EventLoopBeat, Health
from streams.metrics.labels import LabelCap
from streams.metrics.lag import ConsumerLag
from streams.metrics.loop_observer import Parts, ScorerObserver, never_raises
from streams.metrics.tally import Tallied

SCORE_LOOP = "score loop"
LEVELS = (0, 1, 2, 3)
DEAD_LETTER_ERRORS = ("bad_signature", "rejected_audit")
TRIGGERS = ("signoff", "policy_violation", "safety_incident", "error_rate", "manual")
UPDATE_EVERY_S = 5.0


class ScorerMetrics(ScorerObserver):
    def __init__(self, registry: CollectorRegistry, health: Health,
                 states: Mapping[str, Any], inputs: list[str]) -> None:
        r = registry
        self.health, self.states = health, states
        self.pairs = Gauge("afterguard_autonomy_pairs", "(agent, action class) pairs at each "
                           "autonomy level", ["level"], registry=r)
        self.changes = Counter("afterguard_autonomy_level_changes", "Autonomy level changes "
                               "committed", ["direction", "trigger"], registry=r)
        self.inputs = Counter("afterguard_autonomy_inputs", "Input records scored (counted at "
                              "commit)", ["topic"], registry=r)
        self.transactions = Counter("afterguard_transactions", "Transactions of scored "
                                    "batches", ["outcome"], registry=r)
        self.dead_letters = Counter("afterguard_dead_letters", "Input records dead-lettered "
                                    "(counted at commit)", ["topic", "error"], registry=r)
        self._topic = LabelCap(len(inputs) + 5)
        self._trigger = LabelCap(len(TRIGGERS) + 5)
        self.lag = ConsumerLag(r, self._topic)
        for level in LEVELS:
            self.pairs.labels(str(level)).set(0)
        for direction in ("promotion", "demotion"):
            for trigger in TRIGGERS:
                self.changes.labels(direction, self._trigger(trigger))
        for topic in inputs:
            self.inputs.labels(self._topic(topic))
            for error in DEAD_LETTER_ERRORS:
                self.dead_letters.labels(self._topic(topic), error)
        for outcome in ("committed", "aborted"):
            self.transactions.labels(outcome)
        self._ticker = EventLoopBeat(health, self._tick)
        self._last_count = 0.0

    def started(self, consumer: Any) -> None:
        self.lag.consumer = consumer
        self.health.met("partitions assigned")
        self._ticker.start()

    def stopped(self) -> None:
        self._ticker.stop()

    def restored(self) -> None:
        self.health.met("state recovered")

    def beat(self) -> None:
        self.health.beat(SCORE_LOOP)

    def aborted(self) -> None:
        self.transactions.labels("aborted").inc()

    @never_raises
    def committed(self, parts: Parts, tallied: Tallied | None = None) -> None:
        self.beat()
        self.transactions.labels("committed").inc()
        offsets: dict[TopicPartition, int] = {}
        for tp, messages in parts.items():
            if messages:
                self.inputs.labels(self._topic(tp.topic)).inc(len(messages))
                offsets[tp] = messages[-1].offset + 1
        self.lag.committed(offsets)

    @never_raises
    def level_changes(self, changes: list[Any]) -> None:
        for change in changes:
            if not hasattr(change, "to_level"):
                continue
            direction = "promotion" if change.to_level > change.from_level else "demotion"
            self.changes.labels(direction, self._trigger(str(change.trigger))).inc()

    @never_raises
    def dead_lettered(self, letters: list[tuple[str, str]]) -> None:
        for topic, error in letters:
            self.dead_letters.labels(self._topic(topic), error).inc()

    async def _tick(self) -> None:
        await self.lag.update()
        if time.monotonic() - self._last_count >= UPDATE_EVERY_S:
            self._last_count = time.monotonic()
            levels = Tally(state.level for state in list(self.states.values()))
            for level in LEVELS:
                self.pairs.labels(str(level)).set(levels.get(level, 0))
