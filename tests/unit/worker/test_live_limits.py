"""The output limits read again after a refusal as too large (streams.worker.live_limits): the
decider takes the new ones; a read that fails or hangs leaves the old ones and returns (the
decide loop holds its lock meanwhile)."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest

from streams.worker import live_limits
from streams.worker.live_limits import LiveLimits
from streams.worker.output_limits import RECORD_OVERHEAD, OutputLimits

OLD = OutputLimits(1_048_576, {"released": 1_048_588, "audit": 1_048_588})
NEW = OutputLimits(1_048_576, {"released": 2000, "audit": 1_048_588})


def live(read: object) -> tuple[LiveLimits, SimpleNamespace]:
    decider = SimpleNamespace(limits=OLD)
    return LiveLimits(decider, read), decider  # type: ignore[arg-type]


def test_the_limits_read_again_are_the_deciders_and_the_batches(
        caplog: pytest.LogCaptureFixture) -> None:
    async def read() -> OutputLimits:
        return NEW

    limits, decider = live(read)
    with caplog.at_level(logging.WARNING):
        asyncio.run(limits.read_again())
    assert decider.limits is NEW
    assert limits.batch_bytes("released") == 2000 - RECORD_OVERHEAD
    assert "released (1488 bytes)" in caplog.text and "audit" not in caplog.text


@pytest.mark.parametrize("how", ["fails", "hangs"])
def test_a_read_that_fails_or_hangs_keeps_the_old_limits(
        how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_limits, "READ_WITHIN_S", 0.2)

    async def read() -> OutputLimits:
        if how == "fails":
            raise ConnectionError("the broker is away")
        await asyncio.Event().wait()
        raise AssertionError("never")

    limits, decider = live(read)
    asyncio.run(asyncio.wait_for(limits.read_again(), 5))
    assert decider.limits is OLD
