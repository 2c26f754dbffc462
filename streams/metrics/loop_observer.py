"""The hooks a consume-decide-produce loop calls; the default does nothing.

Kept apart from the metrics themselves so that the loops import nothing of Prometheus and a
loop without metrics (tests, benchmarks) pays one no-op call per hook."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from aiokafka import ConsumerRecord, TopicPartition

from streams.metrics.tally import Tallied

log = logging.getLogger(__name__)
Parts = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
F = TypeVar("F", bound=Callable[..., None])


def never_raises(hook: F) -> F:
    """A metrics hook called after a commit must not fail the loop that committed."""

    @functools.wraps(hook)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            hook(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a metric is lost, never a record
            log.error("updating metrics failed (%s)", type(exc).__name__)

    return guarded  # type: ignore[return-value]  # same signature, returns None


class LoopObserver:
    def started(self, consumer: Any) -> None:
        """The loop's consumer is started."""

    def stopped(self) -> None:
        """The loop ended."""

    def beat(self) -> None:
        """The loop turned (a poll, or a retry while the broker is away)."""

    def committed(self, parts: Parts, tallied: Tallied | None = None) -> None:
        """The transaction of these input records committed (`tallied`: what they came to, as
        the worker's pipeline tallied them)."""

    def aborted(self) -> None:
        """A transaction failed; its records will be consumed again."""

    def assigned(self, assigned: set[TopicPartition]) -> None:
        """The group gave this member these partitions."""

    def revoked(self) -> None:
        """The group took this member's partitions back."""


class ScorerObserver(LoopObserver):
    def restored(self) -> None:
        """The scorer read every pair's committed state."""

    def level_changes(self, changes: list[Any]) -> None:
        """The level changes (sampling.autonomy.state.LevelChange) of a committed batch."""

    def dead_lettered(self, letters: list[tuple[str, str]]) -> None:
        """The (input topic, error) of each dead letter a committed batch wrote."""
