"""A review item carries the agent's trace id, so the reviewer can find the agent's run."""

from __future__ import annotations

import json

from tests.unit.worker.test_pipeline import NOW, by_topic, pipeline, record


def test_the_review_item_carries_the_results_trace_id() -> None:
    key = "AKIA" + "IOSFODNN7EXAMPLE"
    emits = pipeline().process([record(1, {"log": f"used {key}"}, trace_id="trace-7f3a9c"),
                                record(2, {"log": f"used {key}"})], NOW)
    items = by_topic(emits)["afterguard.review"]
    assert [(i["job_id"], i["trace_id"]) for i in items] == [("j1", "trace-7f3a9c"),
                                                              ("j2", None)]
    assert key not in json.dumps(items)
