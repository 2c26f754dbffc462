"""Webhook notifications from the real review service: a new high-risk item, items past the
p95 wait target, and escalations reach a Slack-compatible receiver, signed, retried after the
receiver fails, and without any output value."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from streams.config import Topics
from streams.signing import RecordKind
from tests.kafka_io import produce
from tests.review_service import ServiceFactory, free_port, review_item, write_policy

pytestmark = pytest.mark.integration
SECRET = b"webhook-secret-for-tests-only-0123456789abcdef"


class Receiver:
    """Answers 500 to the first request, then 200; keeps every request."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[tuple[dict[str, str], bytes]] = []

    async def hook(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        return web.Response(status=500 if len(self.requests) == 1 else 200, text="ok")

    def accepted(self) -> list[dict[str, Any]]:
        bodies = [body for _, body in self.requests[1:]]
        return [json.loads(b) for b in dict.fromkeys(bodies)]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()
    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_post("/hook", got.hook)
    runner = web.AppRunner(app)
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", got.port).start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    yield got
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_high_risk_items_late_items_and_escalations_are_announced(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        receiver: Receiver) -> None:
    secret = tmp_path / "webhook.key"
    secret.write_bytes(SECRET)
    start_review(topics, write_policy(tmp_path, escalate_after="4s"),
                 AFTERGUARD_REVIEW_WEBHOOK_URL=f"http://127.0.0.1:{receiver.port}/hook",
                 AFTERGUARD_REVIEW_WEBHOOK_SECRET_FILE=str(secret))
    produce(kafka_bootstrap, topics.review, [review_item(1, tags=("financial",)),
                                             review_item(2)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    wanted = {("high_risk_item", "rv-1"), ("slo_breach", "rv-1"), ("slo_breach", "rv-2"),
              ("escalation", "rv-1"), ("escalation", "rv-2")}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        got = {(m["afterguard"]["event"], m["afterguard"]["entry_id"])
               for m in receiver.accepted()}
        if wanted <= got:
            break
        time.sleep(0.5)
    assert wanted <= got, got
    messages = receiver.accepted()
    assert len(messages) == len(wanted), "each event once"
    first = messages[0]
    assert first["afterguard"]["event"] == "high_risk_item" and "rv-1" in first["text"]
    assert first["afterguard"]["risk"] == "high" and first["afterguard"]["group"] == "ops-review"
    # The first request failed (HTTP 500) and the same message was sent again.
    assert receiver.requests[0][1] == receiver.requests[1][1]
    for headers, body in receiver.requests:
        expected = "v1=" + hmac.new(SECRET, headers["X-Afterguard-Timestamp"].encode() + b"."
                                    + body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Afterguard-Signature"], expected)
        assert b"[CREDENTIAL]" not in body and b"output" not in body, "no output in messages"
    escalation = next(m for m in messages if m["afterguard"]["event"] == "escalation")
    assert escalation["afterguard"]["from_group"] == "ops-review"
    assert "review-leads" in escalation["text"]
