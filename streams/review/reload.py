"""SIGHUP for the review service: take the queue policy (review and routing sections) from the
policy file again; an invalid file, or one without those sections, leaves the old one."""

from __future__ import annotations

import logging
from pathlib import Path

from policies import PolicyError, load_policy
from streams.review.queue import ReviewQueue

log = logging.getLogger(__name__)


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
    queue.review, queue.routing = review, routing
    log.warning("review queue policy reloaded from %s (%s)", path, loaded.snapshot)
    return True
