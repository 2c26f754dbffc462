"""A poll of records that each cost about the scan budget never stops the worker's heartbeats:
the worker stays in its consumer group (no rebalance hands its records to another member),
every record is decided exactly once, the ones over the budget are quarantined on their own
(`detector_timeout`) and the clean records of the same poll are decided as usual.

The records are genuinely expensive (about 100 KB of prose full of names each, scanned by the
strict policy's spaCy NER), the budget is lowered to 250 ms and the session timeout to 3 s (the
local broker's `group.min.session.timeout.ms` is 1 s), so one poll of 8 of them scans for
seconds: longer than the session when the scan blocks the event loop. (At 500 ms, since NER runs
through the batch decoder, some of them finished within the budget on an idle machine.) A SIGHUP sent while the
poll is being decided swaps the policy between batches, never inside one."""

from __future__ import annotations

import asyncio
import json
import random
import re
import signal
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from policies import shipped_policy_path
from streams.config import Topics
from streams.kafka_connection import plaintext
from tests.conftest import WorkerFactory
from tests.kafka_io import collect

pytestmark = pytest.mark.integration

HEAVY, CLEAN = 8, 4
NAMES = ("Maria Lopez", "John Carter", "Priya Natarajan", "Olu Adebayo", "Berlin", "Oslo",
         "Acme Corporation", "Chen Wei")


def heavy_output(seed: int, size: int = 100_000) -> str:
    """Prose about people and places: every sentence gives NER work."""
    rng, parts, length = random.Random(seed), [], 0
    while length < size:
        sentence = f"{rng.choice(NAMES)} met {rng.choice(NAMES)} in {rng.choice(NAMES)}."
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def result(job_id: str, output: object) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({"job_id": job_id, "agent_id": "agent-s",
                                        "action": "job.support.reply", "tenant": "acme",
                                        "output": output}).encode()


def adversarial_poll() -> list[tuple[bytes, bytes]]:
    """Heavy and clean results interleaved, so the clean ones share the heavy ones' poll."""
    records = []
    for i in range(HEAVY):
        records.append(result(f"heavy-{i}", {"note": heavy_output(i)}))
        if i % 2 == 1:
            records.append(result(f"clean-{i // 2}", {"ok": True, "ticket": i}))
    return records


async def produce_to_partition(bootstrap: str, topic: str,
                               records: list[tuple[bytes, bytes]]) -> None:
    producer = plaintext(bootstrap).producer(acks="all", max_request_size=2_000_000)
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, value, key=key, partition=0)
    finally:
        await producer.stop()


async def group_members(bootstrap: str, group: str) -> tuple[str, list[str]]:
    admin = plaintext(bootstrap).admin()
    await admin.start()
    try:
        (response,) = await admin.describe_consumer_groups([group])
        (described,) = response.groups
        state, members = described[2], described[5]
        return state, [member[0] for member in members]
    finally:
        await admin.close()


def test_a_poll_of_records_near_the_scan_budget_keeps_the_worker_in_its_group(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    policy = tmp_path / "strict-fast-budget.yaml"
    policy.write_text(shipped_policy_path("strict").read_text().replace(
        "scan_timeout_ms: 5000", "scan_timeout_ms: 250"))
    original = policy.read_text()
    inputs = adversarial_poll()
    # Written before the worker starts, so its first poll holds them all (under 1 MB).
    asyncio.run(produce_to_partition(kafka_bootstrap, topics.inputs[0], inputs))
    group = f"stays-in-group-{uuid.uuid4().hex[:8]}"
    worker = start_worker(topics, AFTERGUARD_POLICY=str(policy), AFTERGUARD_APP_ID=group,
                          AFTERGUARD_BATCH_SIZE="50", AFTERGUARD_SESSION_TIMEOUT_MS="3000",
                          AFTERGUARD_HEARTBEAT_INTERVAL_MS="300")
    time.sleep(1.5)  # the poll is being decided now (it takes seconds)
    policy.write_text(original.replace('version: "2026.11.1"', 'version: "2026.11.2"'))
    worker.proc.send_signal(signal.SIGHUP)
    expected = {key.decode() for key, _ in inputs}
    seen = collect(kafka_bootstrap, [topics.released, topics.quarantine, topics.audit],
                   done=lambda s: len(s[topics.audit]) >= len(expected), timeout=120,
                   settle=4)

    decided = Counter(r.job_id for t in (topics.released, topics.quarantine)
                      for r in seen[t])
    audited = Counter(r.job_id for r in seen[topics.audit])
    assert set(decided) == expected and set(decided.values()) == {1}, decided
    assert set(audited) == expected and set(audited.values()) == {1}, audited

    # Over the budget: quarantined on its own as detector_timeout, nothing released.
    held = {r.json()["job_id"]: r.json() for r in seen[topics.quarantine]}
    for i in range(HEAVY):
        assert held[f"heavy-{i}"]["reasons"] == ["detector_timeout"], held[f"heavy-{i}"]
    # The clean results of the same poll are decided as usual.
    released = {r.json()["job_id"]: r.json() for r in seen[topics.released]}
    for i in range(CLEAN):
        assert released[f"clean-{i}"]["decision"] == "ALLOW"
        assert released[f"clean-{i}"]["output"] == {"ok": True, "ticket": 2 * i + 1}

    # One policy for the whole poll; the reload is in force for what comes after it.
    assert len({r.json()["policy_snapshot"] for t in (topics.released, topics.quarantine)
                for r in seen[t]}) == 1
    deadline = time.monotonic() + 30
    while "policy reloaded" not in worker.log_text():
        assert time.monotonic() < deadline, worker.log_text()[-2000:]
        time.sleep(0.2)
    asyncio.run(produce_to_partition(kafka_bootstrap, topics.inputs[0],
                                     [result("after-reload", {"ok": True})]))
    after = collect(kafka_bootstrap, [topics.released], settle=0, done=lambda s: any(
        r.job_id == "after-reload" for r in s[topics.released]))
    (reloaded,) = [r.json() for r in after[topics.released] if r.job_id == "after-reload"]
    assert reloaded["policy_snapshot"].startswith("2026.11.2:")

    # The worker joined its group once and is still the member it was: no session expired,
    # no rebalance handed its partitions (and their records) to anyone else.
    log = worker.log_text()
    joined = re.findall(r"Joined group '[^']+' \(generation (\d+)\) with member_id (\S+)", log)
    assert len(joined) == 1, "\n".join(line for line in log.splitlines()
                                       if "group" in line.lower() or "heartbeat" in line.lower())
    state, members = asyncio.run(group_members(kafka_bootstrap, group))
    assert state == "Stable" and members == [joined[0][1]], (state, members, joined)
