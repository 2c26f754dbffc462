"""Test helpers for the services' metrics endpoints: find the port a service bound (it logs
it), scrape, and read samples."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from streams.worker.process import WorkerProcess

_BOUND = re.compile(r"metrics on http://([0-9.]+):(\d+)/metrics")


def metrics_url(process: WorkerProcess, timeout: float = 60.0) -> str:
    """The service's metrics base URL, from its log (started with AFTERGUARD_METRICS_PORT=0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _BOUND.search(process.log_text())
        if found:
            return f"http://{found.group(1)}:{found.group(2)}"
        time.sleep(0.2)
    raise AssertionError(f"no metrics port in the log:\n{process.log_text()[-3000:]}")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def scrape(base: str) -> str:
    status, text = get(f"{base}/metrics")
    assert status == 200, text
    return text


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    """{(sample name, labels): value} of one scrape."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: Samples, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels` (0 when there is none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in found.items() if n == name and wanted <= ls)


def wait_for(base: str, check: Callable[[Samples], bool], timeout: float = 60.0) -> Samples:
    deadline = time.monotonic() + timeout
    while True:
        found = samples(scrape(base))
        if check(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError("metrics never matched; last scrape:\n"
                                 + "\n".join(f"{n}{dict(ls)} {v}" for (n, ls), v in
                                             sorted(found.items(), key=lambda kv: kv[0][0])
                                             if n.startswith("afterguard_")))
        time.sleep(0.3)


def health(base: str, path: str) -> tuple[int, Any]:
    status, text = get(f"{base}{path}")
    return status, json.loads(text)


def wait_ready(base: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        status, body = health(base, "/readyz")
        if status == 200:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"never ready: {body}")
        time.sleep(0.3)
