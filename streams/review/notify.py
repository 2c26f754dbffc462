"""Notifications to a Slack-compatible incoming webhook: new high-risk items, escalations, and
items waiting past the group's p95 target. Each message is signed (HMAC-SHA256 over
`timestamp.body`, headers X-Afterguard-Timestamp and X-Afterguard-Signature), retried with
backoff on network errors, 429 and 5xx, and sent from a bounded background queue, so a slow
or dead receiver never holds up the queue. Messages carry ids, groups, agent, action, risk and
rule ids: never an output, a value or a comment."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from policies.sections.review import ReviewPolicy
from sampling.record import ReviewItem
from streams.config import ConfigError
from streams.review.entry import QueueEntry
from streams.review.queue import ReviewQueue
from streams.review.queue_timer import Escalation, risk_of

log = logging.getLogger(__name__)
ATTEMPTS = 5
BACKLOG = 1000


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: bytes

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebhookSettings | None:
        env = os.environ if environ is None else environ
        url = env.get("AFTERGUARD_REVIEW_WEBHOOK_URL")
        if not url:
            return None
        host = url.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
        if not (url.startswith("https://") or (url.startswith("http://") and host in
                                               ("127.0.0.1", "localhost", "[::1]"))):
            raise ConfigError("AFTERGUARD_REVIEW_WEBHOOK_URL: use an https:// URL")
        secret_file = env.get("AFTERGUARD_REVIEW_WEBHOOK_SECRET_FILE")
        if not secret_file:
            raise ConfigError("AFTERGUARD_REVIEW_WEBHOOK_SECRET_FILE: needed to sign the "
                              "webhook's messages")
        try:
            secret = Path(secret_file).read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"AFTERGUARD_REVIEW_WEBHOOK_SECRET_FILE: {secret_file}: "
                              f"{exc.strerror}") from None
        if len(secret) < 32:
            raise ConfigError("AFTERGUARD_REVIEW_WEBHOOK_SECRET_FILE: holds fewer than 32 bytes")
        return cls(url, secret)


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _plain(text: str) -> str:
    """Slack's mrkdwn control characters escaped (ids cannot smuggle links or mentions)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _message(event: str, text: str, entry_id: str, group: str, item: ReviewItem,
             risk: str, **more: Any) -> dict[str, Any]:
    return {"text": _plain(text), "afterguard": {
        "event": event, "entry_id": entry_id, "group": group, "agent_id": item.agent_id,
        "action": item.action, "risk": risk, "rule_ids": list(item.rule_ids), **more}}


class Notifier:
    def __init__(self, settings: WebhookSettings, queue: ReviewQueue) -> None:
        self.settings, self.queue = settings, queue
        self.backlog: asyncio.Queue[dict[str, Any]] = asyncio.Queue(BACKLOG)
        self.past_target: set[str] = set()  # entries already announced as late

    @property
    def review(self) -> ReviewPolicy:
        return self.queue.review  # the current one (SIGHUP reloads it)

    # -- what is worth a message ------------------------------------------------------------
    def item_queued(self, item: ReviewItem) -> None:
        risk = risk_of(item, self.review)
        if risk == "high":
            self._put(_message("high_risk_item",
                               f"High-risk item {item.item_id} for {item.sampling.reviewer_group}"
                               f": {item.agent_id} {item.action} ({item.decision.value}; rules "
                               f"{', '.join(item.rule_ids) or 'none'})",
                               item.item_id, item.sampling.reviewer_group, item, risk))

    def escalated(self, escalation: Escalation) -> None:
        entry = escalation.entry
        # who moved it (a verified reviewer id, or the queue's clock), never the reviewer's
        # own words: those may quote the output
        self._put(_message("escalation", f"Item {entry.entry_id} escalated from "
                           f"{escalation.from_group} to {entry.group} ({escalation.reason}, "
                           f"by {escalation.by})",
                           entry.entry_id, entry.group, entry.item,
                           risk_of(entry.item, self.review), from_group=escalation.from_group,
                           reason=escalation.reason, escalated_by=escalation.by))

    def check_waits(self, undecided: list[QueueEntry], now: datetime) -> None:
        target = self.review.target_wait.p95.total_seconds()
        for entry in undecided:
            age = entry.age_s(now)
            if age > target and entry.entry_id not in self.past_target:
                self.past_target.add(entry.entry_id)
                self._put(_message("slo_breach", f"Item {entry.entry_id} in {entry.group} has "
                                   f"waited {age:.0f} s, past the p95 target of {target:.0f} s",
                                   entry.entry_id, entry.group, entry.item,
                                   risk_of(entry.item, self.review), waited_s=round(age, 1),
                                   target_p95_s=target))
        waiting = {e.entry_id for e in undecided}
        self.past_target &= waiting  # decided items are forgotten

    def _put(self, message: dict[str, Any]) -> None:
        if self.backlog.full():
            dropped = self.backlog.get_nowait()
            log.warning("webhook backlog full: dropped the %s message of %s",
                        dropped["afterguard"]["event"], dropped["afterguard"]["entry_id"])
        self.backlog.put_nowait(message)

    # -- sending ----------------------------------------------------------------------------
    async def run(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while True:
                message = await self.backlog.get()
                await self._send(session, message)

    async def _send(self, session: aiohttp.ClientSession, message: dict[str, Any]) -> bool:
        body = json.dumps(message, separators=(",", ":")).encode()
        what = f"{message['afterguard']['event']} of {message['afterguard']['entry_id']}"
        for attempt in range(ATTEMPTS):
            timestamp = str(int(time.time()))
            headers = {"Content-Type": "application/json", "X-Afterguard-Timestamp": timestamp,
                       "X-Afterguard-Signature": signature(self.settings.secret, timestamp,
                                                           body)}
            try:
                async with session.post(self.settings.url, data=body, headers=headers) as reply:
                    if reply.status < 300:
                        return True
                    if reply.status != 429 and reply.status < 500:
                        log.warning("webhook refused the %s message: HTTP %d", what,
                                    reply.status)
                        return False
                    problem = f"HTTP {reply.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                problem = type(exc).__name__
            if attempt + 1 < ATTEMPTS:
                await asyncio.sleep(0.5 * 2 ** attempt)
        log.warning("webhook: gave up on the %s message after %d attempts (%s)", what,
                    ATTEMPTS, problem)
        return False
