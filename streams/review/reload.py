"""SIGHUP for the review service: take the queue policy (review and routing sections, and the
rules reviewer releases are rechecked with) from the policy file again; an invalid file, or
one without those sections, leaves the old one."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from detectors import DetectorEngine
from policies import LoadedPolicy, PolicyError, load_policy
from policies.redact import HashKey
from streams.review.queue import ReviewQueue
from streams.review.recheck import ReleaseCheck

log = logging.getLogger(__name__)


def release_check(policy: LoadedPolicy, key: HashKey) -> ReleaseCheck:
    """The detectors and rules a reviewer's release is checked with (the worker's engine)."""
    review = policy.policy.review
    budget = review.rescan_timeout_ms if review is not None else 30_000
    engine = DetectorEngine(entities=policy.policy.scanned_entities(),
                            ner_coverage=policy.policy.detection.ner_reads())
    return ReleaseCheck(policy, engine, key, budget, time.perf_counter)


def reload_queue_policy(queue: ReviewQueue, path: Path) -> bool:
    """True when the file's review and routing sections are now in force."""
    try:
        loaded = load_policy(path)
    except PolicyError as exc:
        log.error("review policy reload rejected; the old queue policy stays:\n%s", exc)
        return False
    review, routing = loaded.policy.review, loaded.policy.routing
    if review is None or routing is None:
        log.error("review policy reload rejected: %s has no review or routing section",
                  loaded.source)
        return False
    check = release_check(loaded, queue.key)
    queue.review, queue.routing, queue.check = review, routing, check
    log.warning("review queue policy reloaded from %s (%s)", path, loaded.snapshot)
    return True
