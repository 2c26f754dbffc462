"""`afterguard review stats` says which groups miss their targets and which rules to relax."""

from __future__ import annotations

from streams.review.queue import ReviewQueue
from streams.review.stats_text import render
from tests.unit.review.conftest import at, item


def test_stats_text_flags_targets_and_names_reviewers(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    queue.enqueue(item(2, group="leads"))
    queue.pull("ops", "ann", at(1))
    text = render(queue.stats(at(120)))
    assert "ops: 1 items, 1 open; wait median 120s, p95 120s  OVER TARGET (median)" in text
    assert "  ann: 1" in text and "no verdicts yet" in text


def test_stats_text_hints_at_rules_to_relax() -> None:
    stats = {"targets": {"median_s": 60.0, "p95_s": 300.0}, "max_open_per_reviewer": 40,
             "groups": {}, "open_per_reviewer": {},
             "rules": {"contact-redact": {"verdicts": 40, "approved": 40, "approval_rate": 1.0,
                                          "hint": "100% of 40 reviewed items approved: "
                                                  "candidate to relax"}}}
    text = render(stats)
    assert "contact-redact: 100% of 40" in text and "hint: 100% of 40" in text
