"""A poll of results of many tiny values, through the real broker and worker: each 600 KB output
of 150,000 empty strings (`["", "", ...]`) cost the worker's scan about 55 MB, all held for the
whole poll (twenty: over a gigabyte), enough for a full poll to kill a worker that would then
restart on the same poll; and 1 MB of `[[],[],...]` cost about 22 MB once parsed, before its
values were counted. Now a result over `limits.max_values` (20,000) is quarantined unscanned
(`too_many_values`), audited and reviewed; a record of more than twice that many values is
not even parsed (a dead letter `too_many_values`); the worker's peak memory stays flat, and
the honest result beside them is released."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.integration.test_many_findings import assert_audit_verifies, by_job, result
from tests.kafka_io import Record, collect, produce

pytestmark = pytest.mark.integration

HEAVY = [""] * 39_000  # over max_values, within what the parser takes (twice max_values)
EMPTY_LISTS = [[]] * 240_000  # under 1 MB as JSON (`[], ` each): far over it


def outputs(bootstrap: str, topics: Topics, audited: int,
            dead: int = 0) -> dict[str, list[Record]]:
    """The worker's outputs once `audited` results are audited and `dead` dead-lettered."""
    return collect(bootstrap, [topics.released, topics.quarantine, topics.review, topics.audit,
                               topics.deadletter],
                   done=lambda seen: (len(seen[topics.audit]) >= audited
                                      and len(seen[topics.deadletter]) >= dead),
                   timeout=120, settle=1)


def peak_rss(pid: int) -> int:
    """The process's peak resident memory in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_a_poll_of_results_of_many_tiny_values_is_quarantined_and_the_worker_keeps_going(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux /proc to read the worker's peak memory")
    worker = start_worker(topics)
    pid = worker.proc.pid
    produce(kafka_bootstrap, topics.inputs[0], [result("warm", {"reply": "hello"})])
    outputs(kafka_bootstrap, topics, 1)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak starts again from now
    before = peak_rss(pid)
    heavy = [result(f"heavy-{n}", HEAVY) for n in range(20)]
    empty = [result(f"empty-{n}", EMPTY_LISTS) for n in range(10)]
    produce(kafka_bootstrap, topics.inputs[0], heavy[:10] + empty[:5]
            + [result("plain", {"reply": "done"})] + heavy[10:] + empty[5:])
    seen = outputs(kafka_bootstrap, topics, 22, dead=10)
    grown = peak_rss(pid) - before

    assert worker.proc.poll() is None, "the worker is still running"
    # 150,000 "" on main 01c30b3: about 55 MB a result, held for the whole poll (over 1 GB for
    # twenty); 1 MB of [] on main 50ba7d3: about 22 MB a record once parsed
    assert grown < 400 * 2**20, f"the worker's peak resident memory grew {grown / 2**20:.0f} MB"
    letters = seen[topics.deadletter]
    assert sorted((r.key or b"").decode() for r in letters) == sorted(
        f"empty-{n}" for n in range(10))
    assert all(r.json()["error"] == "too_many_values" for r in letters)
    held = by_job(seen[topics.quarantine])
    assert sorted(held) == sorted(f"heavy-{n}" for n in range(20))
    assert all(d["reasons"] == ["too_many_values"] for d in held.values())
    assert list(by_job(seen[topics.released])) == ["warm", "plain"]
    audits = by_job(seen[topics.audit])
    assert all(audits[f"heavy-{n}"]["payload"]["reasons"] == ["too_many_values"]  # type: ignore[index]
               for n in range(20))
    assert_audit_verifies(seen[topics.audit])
    reviewed = {r.job_id for r in seen[topics.review]}
    assert {f"heavy-{n}" for n in range(20)} <= reviewed
