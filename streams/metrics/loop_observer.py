"""The hooks a consume-decide-produce loop calls; the default does nothing.

Kept apart from the metrics themselves so that the loops import nothing of Prometheus and a
loop without metrics (tests, benchmarks) pays one no-op call per hook."""

from __future__ import annotations

from typing import Any

from aiokafka import ConsumerRecord, TopicPartition

Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]


class LoopObserver:
    def started(self, consumer: Any) -> None:
        """The loop's consumer is started."""

    def stopped(self) -> None:
        """The loop ended."""

    def beat(self) -> None:
        """The loop turned (a poll, or a retry while the broker is away)."""

    def committed(self, parts: Parts) -> None:
        """The transaction of these input records committed."""

    def aborted(self) -> None:
        """A transaction failed; its records will be consumed again."""

    def assigned(self, assigned: set[TopicPartition]) -> None:
        """The group gave this member these partitions."""

    def revoked(self) -> None:
        """The group took this member's partitions back."""
