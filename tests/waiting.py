"""Waiting in tests on a condition the test can observe, never on a clock alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """`predicate()`'s first true value, looked at every 0.2 s; AssertionError naming `what`
    when none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        late = time.monotonic() >= deadline  # one more look after the deadline, never fewer
        if result := predicate():
            return result
        if late:
            raise AssertionError(f"{what} (waited {timeout:.0f} s)")
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
