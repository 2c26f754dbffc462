"""The review service's SIGHUP reload: a valid file's queue policy takes effect; a broken file
or one without review/routing sections leaves the old one in force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policies import load_policy, shipped_policy_path
from policies.redact import HashKey
from streams.review.reload import reload_queue_policy


class Queue:
    def __init__(self) -> None:
        policy = load_policy(shipped_policy_path("default")).policy
        self.review: Any = policy.review
        self.routing: Any = policy.routing
        self.key = HashKey.from_secret(b"k" * 32)
        self.check: Any = None


def test_reload_takes_the_new_limits_and_rejects_broken_files(tmp_path: Path) -> None:
    queue = Queue()
    assert queue.review.max_open_per_reviewer == 40
    path = tmp_path / "policy.yaml"
    text = shipped_policy_path("default").read_text()
    path.write_text(text.replace("max_open_per_reviewer: 40", "max_open_per_reviewer: 5"))
    assert reload_queue_policy(queue, path)  # type: ignore[arg-type]
    assert queue.review.max_open_per_reviewer == 5
    assert queue.check is not None and queue.check.policy.source == str(path), "releases rechecked"

    path.write_text("version: [broken\n")
    assert not reload_queue_policy(queue, path)  # type: ignore[arg-type]
    without_review = text.split("\nreview:")[0] + "\nautonomy:" + text.split("\nautonomy:")[1]
    path.write_text(without_review)
    assert not reload_queue_policy(queue, path)  # type: ignore[arg-type]
    assert queue.review.max_open_per_reviewer == 5, "the old queue policy stays in force"
