"""Issue 11, part 6, through the real broker and review API: what a reviewer releases has been
checked by the policy. A modify holding a credential is refused; approving a credential
quarantine releases the redacted output; the raw output needs `release_raw`, which the
policy must allow."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from streams.review.client import ReviewApiError
from streams.signing import RecordKind
from tests.kafka_io import collect, produce, set_max_message_bytes
from tests.review_service import (
    ReviewService,
    ServiceFactory,
    decide_once_held,
    review_item,
    source,
    write_policy,
)

pytestmark = pytest.mark.integration

AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"


def held(n: int, output: Any) -> tuple[bytes, bytes]:
    return f"job-{n}".encode(), json.dumps({
        "job_id": f"job-{n}", "agent_id": "agent-a", "action": "job.ops.run",
        "decision": "QUARANTINE", "output": output, "rule_ids": ["credentials-quarantine"],
        "policy_snapshot": "2026.11.1:" + "ab" * 8, "job_hash": "sha256:" + "0" * 64,
        "decided_at": datetime.now(UTC).isoformat(), "source": source(n)}).encode()


def decide(service: ReviewService, item_id: str, verdict: str, **kwargs: Any) -> Any:
    return decide_once_held(service, item_id, verdict, "ann", **kwargs)


def pull_all(service: ReviewService, count: int) -> None:
    """Claim `count` items (on a busy machine they reach the queue one by one)."""
    deadline = time.monotonic() + 60
    while len(service.client.pull("ops-review", "ann")["holding"]) < count:
        assert time.monotonic() < deadline, "the items never reached the queue"
        time.sleep(0.3)


def test_a_reviewer_releases_only_what_the_policy_has_checked(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    produce(kafka_bootstrap, topics.review, [review_item(1), review_item(2)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    produce(kafka_bootstrap, topics.quarantine, [
        held(1, {"log": f"deploy used {AWS_KEY}"}), held(2, {"log": f"key {AWS_KEY}"})],
            sign=("worker", RecordKind.QUARANTINE_HOLD))
    pull_all(service, 2)
    with pytest.raises(ReviewApiError) as refused:
        decide(service, "rv-1", "modify", modified_output={"log": f"kept {AWS_KEY}"},
               comment="kept the key")
    assert refused.value.status == 422 and "CREDENTIAL at log" in str(refused.value)
    assert AWS_KEY not in str(refused.value)
    with pytest.raises(ReviewApiError) as raw:
        decide(service, "rv-2", "release_raw")
    assert raw.value.status == 403 and "review.release_raw" in str(raw.value)
    decide(service, "rv-1", "modify", modified_output={"log": "deploy done; mail a@b.example"},
           comment="key removed")
    decide(service, "rv-2", "approve")
    seen = collect(kafka_bootstrap, [topics.released, topics.verdicts],
                   done=lambda s: len(s[topics.released]) >= 2, timeout=30, settle=2)
    released = {r.json()["job_id"]: r.json()["output"] for r in seen[topics.released]}
    assert released == {"job-1": {"log": "deploy done; mail [REDACTED:EMAIL_ADDRESS]"},
                        "job-2": {"log": "key [REDACTED:CREDENTIAL]"}}
    assert AWS_KEY not in json.dumps([r.json() for r in seen[topics.verdicts]])


def test_release_raw_where_the_policy_allows_it_is_audited_as_such(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path, release_raw=True))
    produce(kafka_bootstrap, topics.review, [review_item(1)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    produce(kafka_bootstrap, topics.quarantine, [held(1, {"log": f"key {AWS_KEY}"})],
            sign=("worker", RecordKind.QUARANTINE_HOLD))
    pull_all(service, 1)
    assert decide(service, "rv-1", "release_raw", comment="the customer's own key")["released"] is True
    seen = collect(kafka_bootstrap, [topics.released, topics.review_audit],
                   done=lambda s: len(s[topics.review_audit]) >= 1, timeout=30)
    assert [r.json()["output"] for r in seen[topics.released]] == [{"log": f"key {AWS_KEY}"}]
    [audit] = [r.json() for r in seen[topics.review_audit]]
    assert audit["payload"]["verdict"] == "release_raw" and audit["approver_id"] == "ann"


def test_a_release_that_cannot_be_written_is_refused_before_anything_is(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Attack: an approval whose released record is larger than the released topic takes
    failed with 503 "try again" for ever (nothing released, the item stuck claimed), and a
    modify with more values than `limits.max_values` was accepted (the worker would have held
    such a result unscanned). Now both are refused (422, saying why) before anything is
    written; the reviewer can reject it, or modify it into what fits."""
    set_max_message_bytes(kafka_bootstrap, topics.released, 4096)
    service = start_review(topics, write_policy(tmp_path, limits={"max_values": 100}))
    produce(kafka_bootstrap, topics.review, [review_item(1), review_item(2)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    produce(kafka_bootstrap, topics.quarantine, [
        held(1, {"log": "deploy step done. " * 400}), held(2, {"log": "short"})],
            sign=("worker", RecordKind.QUARANTINE_HOLD))
    pull_all(service, 2)
    with pytest.raises(ReviewApiError) as too_big:
        decide(service, "rv-1", "approve")
    assert too_big.value.status == 422, too_big.value
    assert "max.message.bytes" in str(too_big.value) and topics.released in str(too_big.value)
    with pytest.raises(ReviewApiError) as too_many:
        decide(service, "rv-2", "modify", modified_output={"rows": list(range(150))},
               comment="cut down")
    assert too_many.value.status == 422 and "limits.max_values (100)" in str(too_many.value)
    assert [service.client.show(i)["status"] for i in ("rv-1", "rv-2")] == ["claimed"] * 2
    decide(service, "rv-1", "reject", comment="too long to release; asked for a summary")
    decide(service, "rv-2", "modify", modified_output={"rows": [1, 2]}, comment="cut down")
    seen = collect(kafka_bootstrap, [topics.released, topics.verdicts, topics.review_audit],
                   done=lambda s: len(s[topics.verdicts]) >= 2, timeout=30, settle=2)
    assert [r.json()["output"] for r in seen[topics.released]] == [{"rows": [1, 2]}]
    assert sorted(r.json()["verdict"] for r in seen[topics.verdicts]) == ["modify", "reject"]
    assert len(seen[topics.review_audit]) == 2
