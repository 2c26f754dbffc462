"""Nothing lost, nothing twice: the worker killed with -9 twice and the broker restarted while
it decides results mixed with poison records; a read_committed consumer then sees exactly one
decision and one audit record per valid input and one dead letter per malformed one."""

from __future__ import annotations

import json
import os
import signal
import uuid
from collections import Counter
from pathlib import Path

import pytest

from streams.config import Topics
from tests.chaos_run import SESSION_TIMEOUT_MS, run_chaos
from tests.cli_fork_server import run_cli
from tests.conftest import SAMPLING_KEY, WorkerFactory
from tests.kafka_io import collect, produce, worker_drain

pytestmark = pytest.mark.integration


def test_kill_9_and_a_broker_restart_lose_nothing_and_duplicate_nothing(
        tmp_path: Path, hash_key_file: Path) -> None:
    report = run_chaos(tmp_path, valid=2000, poisoned=40, env={
        "AFTERGUARD_HASH_KEY_FILE": str(hash_key_file),
        "AFTERGUARD_SAMPLING_KEY": SAMPLING_KEY}, say=print)
    print("\n".join(report.lines()))
    assert report.missing_decisions == 0 and report.duplicate_decisions == 0
    assert report.missing_audits == 0 and report.duplicate_audits == 0
    assert report.missing_letters == 0 and report.duplicate_letters == 0
    assert report.stray == 0
    assert report.verify_exit == 0, report.verify_output
    # A restarted worker resumes without waiting out the killed one's session: once it joins
    # its group, it decides again well within the session timeout.
    # (The whole recovery, Python's start-up included, is bench/chaos.py's figure; under load
    # it is mostly start-up.)
    assert len(report.resumed_after_joining_s) == 2
    assert all(seconds < SESSION_TIMEOUT_MS / 1000
               for seconds in report.resumed_after_joining_s), report.resumed_after_joining_s
    # A broker outage is a few log records from the worker, not thousands.
    assert report.outage_log_lines < 100


def test_a_paused_worker_is_fenced_and_writes_nothing_twice(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    """A zombie: worker A stops mid-work (SIGSTOP, like a long GC pause or a frozen VM), the
    group gives its partitions to worker B, then A wakes up with its batch still in hand."""
    group = {"AFTERGUARD_APP_ID": f"zombie-{uuid.uuid4().hex[:8]}",
             "AFTERGUARD_SESSION_TIMEOUT_MS": "6000", "AFTERGUARD_HEARTBEAT_INTERVAL_MS": "500"}
    first = start_worker(topics, **group)
    produce(kafka_bootstrap, topics.inputs[0], results(0, 600))
    collect(kafka_bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= 50,
            settle=0)
    os.kill(first.proc.pid, signal.SIGSTOP)
    try:
        start_worker(topics, **group)
        produce(kafka_bootstrap, topics.inputs[0], results(600, 300))
        collect(kafka_bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= 900,
                timeout=180, settle=0)
    finally:
        os.kill(first.proc.pid, signal.SIGCONT)
    produce(kafka_bootstrap, topics.inputs[0], results(900, 100))  # work for both again
    seen = collect(kafka_bootstrap, [topics.released, topics.quarantine, topics.audit],
                   done=lambda s: len(s[topics.audit]) >= 1000, timeout=180,
                   drain=worker_drain(topics.inputs, topics.audit))
    decided = Counter(r.job_id for t in (topics.released, topics.quarantine)
                      for r in seen[t])
    audited = Counter(r.job_id for r in seen[topics.audit])
    expected = {f"z-{i}" for i in range(1000)}
    assert set(decided) == expected and set(decided.values()) == {1}
    assert set(audited) == expected and set(audited.values()) == {1}
    assert first.proc.poll() is None, "the fenced worker keeps running and rejoins"
    verified = run_cli(["audit", "verify", "--bootstrap", kafka_bootstrap, "--topic",
                        topics.audit], timeout=300)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def results(start: int, count: int) -> list[tuple[bytes, bytes]]:
    return [(f"z-{i}".encode(), json.dumps({
        "job_id": f"z-{i}", "agent_id": "agent-z", "action": "job.support.reply",
        "tenant": "acme", "output": {"note": f"customer {i} mailed bob{i}@example.org"}}
    ).encode()) for i in range(start, start + count)]
