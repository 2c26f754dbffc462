"""Readiness (named conditions, each met or not) and liveness (beats of the service's loops).

Read by the metrics server's thread, written by the service's event loop: single dict
assignments, so no lock is needed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Gauge

EVENT_LOOP = "event loop"


class Health:
    def __init__(self, stall_s: float, required: Iterable[str] = (),
                 loops: Iterable[str] = (EVENT_LOOP,),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stall_s, self.clock = stall_s, clock
        self._conditions: dict[str, bool] = {name: False for name in required}
        started = clock()
        self._beats: dict[str, float] = {name: started for name in loops}

    def met(self, condition: str, value: bool = True) -> None:
        self._conditions[condition] = value

    def beat(self, loop: str = EVENT_LOOP) -> None:
        self._beats[loop] = self.clock()

    def ready(self) -> tuple[bool, dict[str, bool]]:
        conditions = dict(self._conditions)
        return all(conditions.values()), conditions

    def stalled_for(self) -> float:
        """Seconds since the loop that beat least recently last beat."""
        now = self.clock()
        return max((now - beat for beat in list(self._beats.values())), default=0.0)

    def live(self) -> tuple[bool, dict[str, Any]]:
        now = self.clock()
        since = {name: round(now - beat, 3) for name, beat in list(self._beats.items())}
        return all(s < self.stall_s for s in since.values()), {
            "seconds_since_progress": since, "stall_after_s": self.stall_s}

    def register(self, registry: CollectorRegistry) -> None:
        """`afterguard_ready` and `afterguard_stalled_seconds`, read at each scrape."""
        Gauge("afterguard_ready", "1 when the service is ready (see /readyz), else 0",
              registry=registry).set_function(lambda: float(self.ready()[0]))
        Gauge("afterguard_stalled_seconds", "Seconds since the service's least recently "
              "turning loop made progress (live while below AFTERGUARD_LIVENESS_STALL_S)",
              registry=registry).set_function(self.stalled_for)


async def beat_event_loop(health: Health, every_s: float = 1.0,
                          also: Callable[[], object] | None = None) -> None:
    """Beat for the event loop every `every_s` (run as a task): a blocked loop stops beating.
    `also` runs at each beat (cheap periodic updates such as consumer lag)."""
    while True:
        health.beat(EVENT_LOOP)
        if also is not None:
            result = also()
            if asyncio.iscoroutine(result):
                await result
        await asyncio.sleep(every_s)


class EventLoopBeat:
    """`beat_event_loop` as a task a loop's observer starts and stops with its loop."""

    def __init__(self, health: Health, also: Callable[[], object] | None = None) -> None:
        self.health, self.also = health, also
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(
            beat_event_loop(self.health, 1.0, self.also))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
