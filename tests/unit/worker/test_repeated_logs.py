"""A warning repeated during a broker outage is one line per interval, with its count."""

from __future__ import annotations

import logging

import pytest

from streams.worker.repeated_logs import PRUNE_FROM, RepeatedWarnings


def test_repeats_are_one_line_per_interval_with_a_count(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    limit = RepeatedWarnings(10.0, ("aiokafka",), clock=lambda: now[0])
    handler = caplog.handler
    handler.addFilter(limit)
    try:
        client = logging.getLogger("aiokafka.conn")
        for second in range(25):  # 100 failed connection attempts over 25 seconds
            now[0] = float(second)
            for _ in range(4):
                client.error("Unable connect to node with id %s: %s", 1, "refused")
        logging.getLogger("streams.other").warning("not limited")
        logging.getLogger("streams.other").warning("not limited")
    finally:
        handler.removeFilter(limit)
    lines = [r.getMessage() for r in caplog.records if r.name == "aiokafka.conn"]
    assert lines == [
        "Unable connect to node with id 1: refused",
        "Unable connect to node with id 1: refused [39 more like this in the last 10s]",
        "Unable connect to node with id 1: refused [39 more like this in the last 10s]",
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "streams.other"] == [
        "not limited", "not limited"]


def test_messages_that_differ_every_time_are_not_remembered_forever() -> None:
    """A warning naming an offset or a size an agent chose is a new message each time: an
    hour of them (36,000) leaves only the last interval's remembered, not every one."""
    now = [0.0]
    limit = RepeatedWarnings(10.0, ("streams.compacted",), clock=lambda: now[0])
    log = logging.getLogger("streams.compacted")
    for offset in range(36_000):
        now[0] = offset / 10  # ten a second
        record = log.makeRecord(log.name, logging.WARNING, __file__, 0,
                                "topic[0]@%d ignored: bad signature", (offset,), None)
        assert limit.filter(record), "a new message always passes"
    assert len(limit) <= 2 * PRUNE_FROM
