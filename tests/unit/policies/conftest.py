"""Helpers for policy tests: build policies from YAML text, results, and findings by value."""

from __future__ import annotations

from typing import Any

from detectors import Finding
from detectors.walker import string_leaves
from policies import ActionResult, HashKey, LoadedPolicy, parse_policy

KEY = HashKey.from_secret(b"test-key-" * 4)


def policy(body: str) -> LoadedPolicy:
    return parse_policy('version: "t1"\n' + body, "test.yaml")


def result(output: Any, **extra: Any) -> ActionResult:
    return ActionResult(job_id="j1", agent_id=extra.pop("agent_id", "agent-1"),
                        action=extra.pop("action", "job.support.lookup"), output=output, **extra)


def find(output: Any, value: str, entity: str, score: float = 0.9) -> list[Finding]:
    """A finding for every occurrence of `value` in `output`'s strings, as a detector reports."""
    found = []
    for leaf in string_leaves(output):
        start = leaf.text.find(value)
        while start != -1:
            found.append(Finding(entity=entity, path=leaf.path, start=start,
                                 end=start + len(value), score=score, detector="test"))
            start = leaf.text.find(value, start + 1)
    return found
