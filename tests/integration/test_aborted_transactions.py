"""Records of an aborted transaction never count. The worker writes its review items and
quarantine holds in Kafka transactions; one that aborts (a failed commit, a fenced worker) is
written again by the retry. The review service must act only on what was committed: an
aborted item queued for reviewers, or an aborted hold released by a verdict, would put a
result before people (or downstream) that the gate never finished deciding."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.config import Topics
from streams.review.client import ReviewApiError
from streams.signing import RecordKind
from tests.kafka_io import produce_in_transaction
from tests.review_service import ServiceFactory, quarantine_record, review_item, write_policy

pytestmark = pytest.mark.integration


def test_the_review_service_never_acts_on_an_aborted_transaction(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    item, hold = RecordKind.REVIEW_ITEM, RecordKind.QUARANTINE_HOLD
    # Aborted: item 1 with its hold, and the hold of result 3. All in partition 0, before
    # the committed records below, so a service that has read those has read past these.
    produce_in_transaction(kafka_bootstrap, [
        (topics.review, *review_item(1), item),
        (topics.quarantine, *quarantine_record(1), hold),
        (topics.quarantine, *quarantine_record(3), hold),
    ], commit=False, partition=0)
    produce_in_transaction(kafka_bootstrap, [
        (topics.review, *review_item(2), item),
        (topics.review, *review_item(3), item),
        (topics.quarantine, *quarantine_record(2), hold),
    ], commit=True, partition=0)
    client = service.client
    claimed: set[str] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not {"rv-2", "rv-3"} <= claimed:
        claimed |= {e["entry_id"] for e in client.pull("ops-review", "ann")["claimed"]}
        time.sleep(0.2)
    assert claimed == {"rv-2", "rv-3"}  # rv-1 was never committed: never queued
    with pytest.raises(ReviewApiError) as missing:
        client.show("rv-1")
    assert missing.value.status == 404
    # The committed hold of result 2 reaches the service; approving releases it.
    while True:
        try:
            client.decide("rv-2", "approve", reviewer="ann", comment="checked")
            break
        except ReviewApiError as exc:
            assert "not reached the review service" in str(exc)
            assert time.monotonic() < deadline, "the committed hold never reached the service"
            time.sleep(0.2)
    # Result 3's only hold was aborted: nothing is held, so nothing can be released. (Read
    # uncommitted, the service held the aborted output and this approve released it.)
    with pytest.raises(ReviewApiError) as unheld:
        client.decide("rv-3", "approve", reviewer="ann", comment="checked")
    assert unheld.value.status == 409
    assert "not reached the review service" in str(unheld.value)
