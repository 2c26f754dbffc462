"""Test helpers for the review queue service: a policy with short durations, the service as
a child process (`afterguard review serve`), reviewers signed in with API tokens, and review
items produced straight to the topic."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from policies import load_policy, shipped_policy_path
from streams.config import Topics, topic_env
from streams.review.auth.tokens import TokenStore
from streams.review.claims import known_groups
from streams.review.client import ReviewApiError, ReviewClient
from streams.signing import RecordKind
from streams.worker.process import WorkerProcess
from tests.conftest import stopped_with_the_test
from tests.kafka_io import produce

# `produce(..., sign=...)` as the worker signs review items and quarantine records
SIGNED_ITEM = ("worker", RecordKind.REVIEW_ITEM)
SIGNED_HOLD = ("worker", RecordKind.QUARANTINE_HOLD)

REVIEW: dict[str, Any] = {
    "target_wait": {"median": "1s", "p95": "2s"}, "max_open_per_reviewer": 40,
    "escalate_after": "1h", "claim_expiry": "1h",
    "risk_levels": {"high": ["financial"], "medium": ["prod"]},
    "timeouts": {"high": {"after": "2h", "action": "auto-reject"},
                 "medium": {"after": "2h", "action": "escalate"},
                 "low": {"after": "2h", "action": "auto-approve"}},
    "fatigue": {"cooldown_after_approvals": 25, "cooldown": "10m", "second_review_rate": 0.0},
}


def write_policy(folder: Path, limits: dict[str, Any] | None = None, **review: Any) -> Path:
    """The shipped default policy with this review section (defaults above, short durations)
    and these `limits` changed."""
    policy = yaml.safe_load(shipped_policy_path("default").read_text())
    policy["review"] = {**REVIEW, **review}
    policy["limits"] = {**(policy.get("limits") or {}), **(limits or {})}
    path = folder / f"policy-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(yaml.safe_dump(policy))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ReviewerClients:
    """The review API as any reviewer, by id: each one signs in with an API token minted on
    first use (in every group of the policy unless `groups` says otherwise)."""

    def __init__(self, url: str, tokens: TokenStore, groups: list[str],
                 ca_file: Path | None = None) -> None:
        self.url, self.store, self.groups, self.ca_file = url, tokens, groups, ca_file
        self.tokens: dict[str, str] = {}
        self.timeout_s = 30.0  # how long a call may wait for the service's answer

    def token(self, reviewer: str, groups: list[str] | None = None) -> str:
        if reviewer not in self.tokens or groups is not None:
            self.tokens[reviewer] = self.store.create(reviewer, groups or self.groups)[0]
        return self.tokens[reviewer]

    def as_reviewer(self, reviewer: str) -> ReviewClient:
        return ReviewClient(self.url, self.token(reviewer), timeout_s=self.timeout_s,
                            ca_file=self.ca_file)

    def health(self) -> Any:
        return ReviewClient(self.url, ca_file=self.ca_file).health()

    def pull(self, group: str, reviewer: str) -> Any:
        return self.as_reviewer(reviewer).pull(group)

    def show(self, item_id: str, reviewer: str = "observer") -> Any:
        return self.as_reviewer(reviewer).show(item_id)

    def decide(self, item_id: str, verdict: str, reviewer: str, **kwargs: Any) -> Any:
        return self.as_reviewer(reviewer).decide(item_id, verdict, **kwargs)

    def stats(self) -> Any:
        return self.as_reviewer("observer").stats()


class ReviewService:
    def __init__(self, process: WorkerProcess, client: ReviewerClients,
                 env: dict[str, str]) -> None:
        self.process, self.client, self.env = process, client, env

    def wait_ready(self, timeout: float = 90.0) -> None:
        self.process.wait_ready(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.client.health()
                return
            except ReviewApiError:
                time.sleep(0.3)
        raise RuntimeError(f"review service not serving:\n{self.process.log_text()[-3000:]}")


ServiceFactory = Callable[..., ReviewService]


@pytest.fixture
def start_review(kafka_bootstrap: str, tmp_path: Path,
                 hash_key_file: Path) -> Iterator[ServiceFactory]:
    """Start `afterguard review serve`; `env` of an earlier service restarts that one."""
    started: list[ReviewService] = []

    def start(topics: Topics, policy: Path, env: dict[str, str] | None = None,
              **extra: str) -> ReviewService:
        """`extra`: more settings (AFTERGUARD_REVIEW_OIDC_*, AFTERGUARD_REVIEW_TLS_*...)."""
        port = free_port()
        env = {**(env or {
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "AFTERGUARD_APP_ID": f"afterguard-test-{uuid.uuid4().hex[:8]}",
            "AFTERGUARD_DATA_DIR": str(tmp_path / f"review{len(started)}"),
            "AFTERGUARD_HASH_KEY_FILE": str(hash_key_file), "AFTERGUARD_POLICY": str(policy),
            "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / f"tokens{len(started)}.json"),
            "AFTERGUARD_REVIEW_TICK_S": "0.5", **topic_env(topics)}),
            # No console unless a test asks for one (its default port, the API's + 1, may
            # be taken on a busy machine).
            "AFTERGUARD_REVIEW_CONSOLE_PORT": "off",
            **extra, "AFTERGUARD_REVIEW_PORT": str(port)}
        process = WorkerProcess(env, tmp_path / f"review{len(started)}.log", ("review", "serve"))
        routing = load_policy(policy).policy.routing
        cert = env.get("AFTERGUARD_REVIEW_TLS_CERT_FILE")
        clients = ReviewerClients(f"{'https' if cert else 'http'}://127.0.0.1:{port}",
                                  TokenStore(Path(env["AFTERGUARD_REVIEW_TOKENS_FILE"])),
                                  sorted(known_groups(routing)) if routing else ["ops-review"],
                                  Path(cert) if cert else None)
        service = ReviewService(process, clients, env)
        started.append(service)
        stopped_with_the_test(process)
        service.wait_ready()
        return service

    yield start
    for service in started:
        service.process.stop()


def review_item(n: int, *, decision: str = "QUARANTINE", group: str = "ops-review",
                tags: tuple[str, ...] = (), rules: tuple[str, ...] = ("credentials-quarantine",)
                ) -> tuple[bytes, bytes]:
    job = f"job-{n}"
    item = {
        "item_id": f"rv-{n}", "job_id": job, "agent_id": "agent-a", "action": "job.ops.run",
        "tenant": "acme", "risk_tags": list(tags), "amount_usd": None, "affected_users": None,
        "decision": decision, "output": {"log": "[CREDENTIAL]"}, "redactions": [],
        "findings": [], "rule_ids": list(rules), "reasons": [],
        "sampling": {"selected": True, "mandatory_reasons": ["quarantined"], "stratum": "x",
                     "weight": 1.0, "probability": 1.0, "draw": 0.0, "drawn": False,
                     "budget_dropped": False, "budget_window_start": None,
                     "inclusion_probability": 1.0, "reviewer_group": group, "key_id": "k"},
        "policy_snapshot": "2026.11.1:" + "ab" * 8, "job_hash": "sha256:" + "0" * 64,
        "decided_at": datetime.now(UTC).isoformat(), "source": source(n)}
    return job.encode(), json.dumps(item).encode()


def source(n: int) -> dict[str, Any]:
    """The input record of test result `n` (the identity items and holds are keyed by)."""
    return {"topic": "agent.actions", "partition": 0, "offset": n}


def quarantine_record(n: int) -> tuple[bytes, bytes]:
    job = f"job-{n}"
    return job.encode(), json.dumps({
        "job_id": job, "agent_id": "agent-a", "action": "job.ops.run",
        "decision": "QUARANTINE", "output": {"log": f"held output {n}"},
        "policy_snapshot": "2026.11.1:" + "ab" * 8, "job_hash": "sha256:" + "0" * 64,
        "decided_at": datetime.now(UTC).isoformat(), "source": source(n)}).encode()


def queued(kafka_bootstrap: str, topics: Topics, service: ReviewService, numbers: list[int],
           *, held: bool = True, reviewer: str = "ann", group: str = "ops-review",
           timeout: float = 60.0) -> None:
    """Review items `numbers` (and, with `held`, their quarantined results) produced signed as
    the worker signs them, and claimed by `reviewer` (on a busy machine they reach the queue
    one by one)."""
    produce(kafka_bootstrap, topics.review, [review_item(n, group=group) for n in numbers],
            sign=SIGNED_ITEM)
    if held:
        produce(kafka_bootstrap, topics.quarantine, [quarantine_record(n) for n in numbers],
                sign=SIGNED_HOLD)
    deadline = time.monotonic() + timeout
    while len(service.client.pull(group, reviewer)["holding"]) < len(numbers):
        assert time.monotonic() < deadline, "the items never reached the queue"
        time.sleep(0.3)


def decide_once_held(service: ReviewService, item_id: str, verdict: str, reviewer: str = "ann",
                     timeout: float = 60.0, **kwargs: Any) -> Any:
    """A verdict, retried while the item's quarantined result has not reached the service yet
    (the review topic and the quarantine topic are read independently)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return service.client.decide(item_id, verdict, reviewer, **kwargs)
        except ReviewApiError as exc:
            if "not reached the review service" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.3)
