"""What the review service decided about credentials and its clock survives a restart, as the
queue does: a signed-out OIDC token stays refused (before, a restart forgot every sign-out and
the token signed in again until it expired), and an entry the clock held back stays held back
(before, a restart said it again and retried it) until the operator asks for a retry (SIGHUP)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from streams.config import Topics
from tests.integration.test_review_auth import call
from tests.integration.test_review_clock import TIMEOUTS
from tests.kafka_io import collect, produce, set_max_message_bytes
from tests.review_service import SIGNED_ITEM, ServiceFactory, review_item, write_policy
from tests.reviewer_credentials import MintingIssuer
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

HELD_BACK = "the review clock cannot give item rv-1 its reject (timed out)"


def test_a_signed_out_token_stays_refused_after_a_kill_and_restart(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    issuer = MintingIssuer.create(tmp_path)
    service = start_review(topics, write_policy(tmp_path), **issuer.env())
    token = issuer.mint("ann", ["ops-review"], ttl_s=3600)
    url = service.client.url
    assert call(url, "GET", "/review/me", token=token)[0] == 200
    status, body = call(url, "POST", "/review/sign-out", {}, token=token)
    service.process.kill()  # kill -9 right after the answer: it was written before it
    assert (status, body.get("token_ended")) == (200, True), body

    again = start_review(topics, write_policy(tmp_path), env=service.env)
    status, body = call(again.client.url, "GET", "/review/me", token=token)
    assert status == 401 and "signed out" in body.get("error", ""), (status, body)
    other = issuer.mint("ann", ["ops-review"], ttl_s=3600)
    assert call(again.client.url, "GET", "/review/me", token=other)[0] == 200, \
        "a new sign-in of the same reviewer is served"


def test_an_entry_held_back_from_the_clock_stays_so_after_a_restart_until_sighup(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    set_max_message_bytes(kafka_bootstrap, topics.verdicts, 3000)
    many_rules = tuple(f"an-operator-rule-with-a-long-descriptive-name-{n:03d}" for n in range(60))
    policy = write_policy(tmp_path, timeouts=TIMEOUTS)
    service = start_review(topics, policy)
    produce(kafka_bootstrap, topics.review,
            [review_item(1, tags=("financial",), rules=many_rules)], sign=SIGNED_ITEM)
    wait_for(lambda: HELD_BACK in service.process.log_text(), "rv-1 to be held back", 60)
    assert service.process.stop() == 0

    again = start_review(topics, policy, env=service.env)
    wait_for(lambda: again.client.health()["entries"] >= 1, "the queue to be recovered")
    time.sleep(3)  # six ticks of the restarted service's clock
    assert HELD_BACK not in again.process.log_text(), "a restart forgot the entry held back"
    assert again.client.show("rv-1")["status"] == "open", "still left for a reviewer"

    # The operator raises the topic's limit and asks the clock to try again.
    set_max_message_bytes(kafka_bootstrap, topics.verdicts, 1_000_000)
    again.process.proc.send_signal(signal.SIGHUP)
    seen = collect(kafka_bootstrap, [topics.verdicts],
                   done=lambda s: len(s[topics.verdicts]) >= 1, timeout=60, settle=1)
    verdicts = [json.loads(r.value) for r in seen[topics.verdicts]]
    assert [(v["item_id"], v["verdict"], v["automatic"]) for v in verdicts] == [
        ("rv-1", "reject", True)]
    assert "tries the 1 entries it held back again" in again.process.log_text()
