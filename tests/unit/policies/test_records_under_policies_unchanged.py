"""The records the worker writes stay byte for byte what they were: the audit chain, the
signatures and the warehouse loaders depend on them. A fixed demo stream on four input topics
(bound to no binding, to the customer and internal bindings, to an agent binding with tags and
an amount floor) under three policies, decided with fixed keys, worker id and clock: the sha256
of every record written (topic, key, bytes, partition) is the one main wrote before the CPU work
of issue 15's step 34 on the decide and sample stages (`policies/`, `sampling/`).

A change that means to change the records updates the digests here, and says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from policies import shipped_policy_path
from tests.unit.detectors.outputs_digest import written_digest

TOPICS = ("agent.actions", "agent.customer.support", "agent.internal.tools",
          "agent.billing.payments")
# digests of main at b6c601a (the same stream, keys and clock)
WRITTEN = {
    "default": "299d72cf498b21fca42dcb05add454603f88db0fdde6104f68c173abf734e1e3",
    "strict": "727d5e82f44012ec44429c00dd4562d5c334764ee6ac362f3d96f16e30abcbf8",
    "bound": "fe24558cc02097631e2011a4b37480974f3be8634a673dcb04c6ba07b5507fe8",
}


def _policy(name: str, home: Path) -> Path:
    if name != "bound":
        return shipped_policy_path(name)
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["trust"]["bindings"].append({
        "id": "billing-money", "agents": ["billing-*"], "risk_tags": ["financial", "prod"],
        "amount_usd_at_least": 1001, "affected_users_at_least": 3,
        "reason": "every result of these agents is reviewed as a large one"})
    path = home / "bound.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def stream_digest(name: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sha256 of every record the worker's pure path writes for the fixed stream."""
    from streams.config import load_settings
    from streams.demo_data import generate
    from streams.worker.app import Worker
    from streams.worker.batch import BatchDecider
    from streams.worker.codec import RawRecord
    from streams.worker.output_limits import OutputLimits

    hash_key = home / "hash.key"
    hash_key.write_text(bytes(range(40, 72)).hex())
    for variable, value in {"AFTERGUARD_HOME": str(home), "AFTERGUARD_DATA_DIR": str(home),
                            "AFTERGUARD_POLICY": str(_policy(name, home)),
                            "AFTERGUARD_HASH_KEY_FILE": str(hash_key),
                            "AFTERGUARD_SAMPLING_KEY": bytes(range(7, 39)).hex(),
                            "AFTERGUARD_WORKER_ID": "unchanged-worker"}.items():
        monkeypatch.setenv(variable, value)
    worker = Worker(load_settings())
    decider = BatchDecider(worker.pipeline, worker.first_seen, OutputLimits(16 << 20))
    records = generate(480, f"unchanged-{name}", seed=23, malformed_every=60)
    raws = [RawRecord(TOPICS[i % 4], i % 3, i, r.key.encode(), r.value)
            for i, r in enumerate(records)]
    return written_digest(decider, raws, datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
                          80).hexdigest()


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_the_records_written_are_byte_for_byte_those_of_before(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert stream_digest(name, tmp_path, monkeypatch) == WRITTEN[name]
