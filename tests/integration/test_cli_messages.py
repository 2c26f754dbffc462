"""Commands say what they did and what they wait for, as a new user needs to read it:
`review pull` again lists what the reviewer already holds, with the claim's expiry, and
`autonomy approve` says what it waits for and how long before it waits."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sampling.autonomy import AutonomyRecord
from streams.autonomy.events import pair_key
from streams.cli import main
from streams.config import Settings, Topics
from streams.kafka_connection import plaintext
from streams.signing import RecordKind
from streams.topic_plan import ensure_planned
from tests.kafka_io import produce
from tests.review_service import SIGNED_ITEM, ServiceFactory, review_item, write_policy

pytestmark = pytest.mark.integration


def test_a_second_pull_lists_the_items_already_held_with_their_claim_expiry(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path, claim_expiry="30m"))
    produce(kafka_bootstrap, topics.review, [review_item(n) for n in (1, 2, 3)],
            sign=SIGNED_ITEM)
    token = tmp_path / "ann.token"
    token.write_text(service.client.token("ann"))
    run = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN_FILE": str(token)}).invoke
    pull = ["review", "pull", "--url", service.client.url, "--group", "ops-review"]
    held: set[str] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the items reach the service's queue one by one
        first = run(main, pull)
        assert first.exit_code == 0, first.output
        held |= {line.split()[0] for line in first.output.splitlines()
                 if line.startswith("rv-")}
        if len(held) == 3:
            break
        time.sleep(0.2)
    assert held == {"rv-1", "rv-2", "rv-3"}

    again = run(main, pull)
    assert again.exit_code == 0, again.output
    assert "claimed 0; you hold 3 open" in again.output
    assert "you already hold (claimed earlier):" in again.output
    for item in ("rv-1", "rv-2", "rv-3"):
        line = next(line for line in again.output.splitlines() if line.strip().startswith(item))
        assert "QUARANTINE" in line and "agent-a job.ops.run" in line
    expiry = again.output.split("your claims expire at ", 1)[1].split(" ", 1)[0]
    left = datetime.fromisoformat(expiry) - datetime.now(UTC)
    assert 25 * 60 < left.total_seconds() <= 30 * 60, "the policy's claim_expiry: 30m"


def test_approve_says_what_it_waits_for_and_for_how_long(kafka_bootstrap: str,
                                                          topics: Topics) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    settings = Settings(topics=topics, app_id=app_id)
    kafka = plaintext(kafka_bootstrap)
    asyncio.run(ensure_planned(kafka, settings, [settings.autonomy_events_topic]))
    now = datetime.now(UTC)
    record = AutonomyRecord(identity="topic:agent.actions", action_class="job.support", level=1,
                            level_name="supervised", level_since=now,
                            policy_snapshot="2026.11.1:" + "ab" * 8, updated_at=now)
    produce(kafka_bootstrap, topics.autonomy,  # signed as the scorer signs its levels
            [(pair_key("topic:agent.actions", "job.support").encode(),
              record.model_dump_json().encode())],
            sign=("autonomy", RecordKind.AUTONOMY_LEVEL))
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
           "AFTERGUARD_TOPIC_AUTONOMY": topics.autonomy,
           "AFTERGUARD_TOPIC_AUTONOMY_AUDIT": topics.autonomy_audit}
    done = CliRunner(env=env).invoke(main, [
        "autonomy", "approve", "topic:agent.actions", "--action-class", "job.support",
        "--level", "0", "--timeout", "3"])
    assert done.exit_code == 1, done.output
    waiting = next(line for line in done.output.splitlines() if "waiting up to 3s" in line)
    assert settings.autonomy_events_topic in waiting and topics.autonomy in waiting
    assert "afterguard autonomy serve" in waiting
    assert done.output.index("waiting up to 3s") < done.output.index("did not answer within 3s")
