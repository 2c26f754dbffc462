"""A warning repeated during a broker outage is one line per interval, with its count."""

from __future__ import annotations

import logging

import pytest

from streams.worker.repeated_logs import RepeatedWarnings


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
