"""The review service's transactions against a topic whose `max.message.bytes` is smaller than
the producer's record batches (aiokafka's 16 KB): every record fits, several together do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.config import Topics
from tests.kafka_io import collect, produce, set_max_message_bytes
from tests.review_service import SIGNED_ITEM, ServiceFactory, review_item, write_policy

pytestmark = pytest.mark.integration

TIMEOUTS = {"high": {"after": "1s", "action": "auto-reject"},
            "medium": {"after": "2h", "action": "escalate"},
            "low": {"after": "2h", "action": "auto-approve"}}
ITEMS = 8


def test_timeouts_together_larger_than_the_audit_topic_takes_are_all_written(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Before: the clock's tick timed out eight items in one transaction; their eight audit
    records went to the review audit partition in one record batch of ~10 KB, which the topic
    (6,000 bytes) refused although each record fitted, so every tick failed the same way and
    no timeout was ever given. Now a batch is sent before one more record would take it past
    the topic's limit, and every item's automatic rejection and audit record are written."""
    set_max_message_bytes(kafka_bootstrap, topics.review_audit, 6000)
    service = start_review(topics, write_policy(tmp_path, timeouts=TIMEOUTS))
    produce(kafka_bootstrap, topics.review,
            [review_item(n, tags=("financial",)) for n in range(1, ITEMS + 1)], sign=SIGNED_ITEM)
    seen = collect(kafka_bootstrap, [topics.verdicts, topics.review_audit],
                   done=lambda s: len(s[topics.verdicts]) >= ITEMS, timeout=60, settle=2)
    verdicts = sorted((v["item_id"], v["verdict"], v["automatic"])
                      for v in (json.loads(r.value) for r in seen[topics.verdicts]))
    assert verdicts == sorted((f"rv-{n}", "reject", True) for n in range(1, ITEMS + 1)), \
        service.process.log_text()[-3000:]
    audits = [json.loads(r.value) for r in seen[topics.review_audit]]
    assert max(len(r.value) for r in seen[topics.review_audit]) < 6000 - 512
    assert sum(len(r.value) for r in seen[topics.review_audit]) > 6000, \
        "the records together are over the limit (else this proves nothing)"
    assert len(audits) >= ITEMS
    assert "committing the review clock's changes failed" not in service.process.log_text()
