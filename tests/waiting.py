"""Waiting in tests on a condition the test can observe, never on a clock alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """`predicate()`'s first true value, looked at every 0.2 s; AssertionError naming `what`
    when none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} (waited {timeout:.0f} s)")
