"""The review queue's clock through the real broker and service: what it emits for one entry
that can never be written neither stops the other entries' timeouts nor is retried at every
tick."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from streams.config import Topics
from tests.kafka_io import collect, produce, set_max_message_bytes
from tests.review_service import SIGNED_ITEM, ServiceFactory, review_item, write_policy

pytestmark = pytest.mark.integration

TIMEOUTS = {"high": {"after": "1s", "action": "auto-reject"},
            "medium": {"after": "2h", "action": "escalate"},
            "low": {"after": "2h", "action": "auto-approve"}}


def test_a_timeout_too_large_for_its_topic_is_said_once_and_holds_back_no_other(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Before: rv-1's automatic rejection (its item names 60 long rule ids) was larger than
    the verdicts topic takes, so every tick's transaction was refused before it began: rv-2's
    timeout was never given either, and the error was logged every tick (0.5 s). Now rv-1 is
    held back from the clock with one ERROR naming it, left open for a reviewer, and the
    clock's other changes are written."""
    set_max_message_bytes(kafka_bootstrap, topics.verdicts, 3000)
    many_rules = tuple(f"an-operator-rule-with-a-long-descriptive-name-{n:03d}" for n in range(60))
    service = start_review(topics, write_policy(tmp_path, timeouts=TIMEOUTS))
    produce(kafka_bootstrap, topics.review,
            [review_item(1, tags=("financial",), rules=many_rules),
             review_item(2, tags=("financial",))], sign=SIGNED_ITEM)
    seen = collect(kafka_bootstrap, [topics.verdicts],
                   done=lambda s: len(s[topics.verdicts]) >= 1, timeout=60, settle=4)
    verdicts = [json.loads(r.value) for r in seen[topics.verdicts]]
    assert [(v["item_id"], v["verdict"], v["automatic"]) for v in verdicts] == [
        ("rv-2", "reject", True)]
    assert service.client.show("rv-1")["status"] == "open", "left for a reviewer"
    time.sleep(2)  # four more ticks
    log = service.process.log_text()
    assert log.count("the review clock cannot give item rv-1 its reject (timed out)") == 1, log
    assert "max.message.bytes" in log and topics.verdicts in log
    assert "a verdict or tick was not given" not in log
