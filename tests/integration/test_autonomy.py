"""The autonomy scorer through a real broker: a stream of clean verdicts makes the scorer
propose a promotion, a person signs it off with the CLI, the worker stops reviewing every
result of the promoted agent, the scorer's state survives a restart, and one safety incident
demotes the agent again; every level change is in a verifiable audit chain."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from streams.autonomy.events import pair_key
from streams.cli import main
from streams.config import Topics, topic_env
from streams.signing import RecordKind
from streams.worker.process import WorkerProcess
from tests.conftest import SAMPLING_KEY, WorkerFactory, stopped_with_the_test
from tests.kafka_io import Record, collect, produce, read_past

pytestmark = pytest.mark.integration
SIGNED_VERDICT = ("review", RecordKind.VERDICT)  # as the review service signs verdicts
AGENT, ACTION, CLASS = "agent-a", "job.support.lookup", "job.support"
# Levels are kept per verified identity: the source topic of the results verdicts are about
# (no trust.identities entry names it), never the agent id they claim.
VERDICT_TOPIC = "agent.actions"
IDENTITY = f"topic:{VERDICT_TOPIC}"

ScorerFactory = Callable[[Topics, dict[str, str] | None], WorkerProcess]


@pytest.fixture
def start_scorer(kafka_bootstrap: str, tmp_path: Path) -> Iterator[ScorerFactory]:
    started: list[WorkerProcess] = []

    def start(topics: Topics, env: dict[str, str] | None = None) -> WorkerProcess:
        process = WorkerProcess({**(env or {}), **topic_env(topics)},
                                tmp_path / f"scorer{len(started)}.log", ("autonomy", "serve"))
        started.append(stopped_with_the_test(process))
        process.wait_ready()
        return process

    yield start
    for process in started:
        process.stop()


def verdict(n: int, severity: str = "none", topic: str = VERDICT_TOPIC) -> tuple[bytes, bytes]:
    now = datetime.now(UTC).isoformat()
    job = f"job-{uuid.uuid4().hex[:8]}-{n}"
    return job.encode(), json.dumps({
        "verdict_id": f"vd-{job}", "item_id": f"rv-{job}", "job_id": job, "agent_id": AGENT,
        "action": ACTION, "verdict": "reject" if severity != "none" else "approve",
        "approver_id": "alice", "severity": severity, "reviewer_group": "ops-review",
        "decision": "ALLOW", "policy_snapshot": "2026.11.1:" + "ab" * 8,
        "job_hash": "sha256:" + "0" * 64, "enqueued_at": now, "decided_at": now,
        "source": {"topic": topic, "partition": 0, "offset": n}}).encode()


def result(job_id: str, action: str = ACTION, tags: tuple[str, ...] = ("read",)
           ) -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({"job_id": job_id, "agent_id": AGENT, "action": action,
                                        "tenant": "acme", "risk_tags": list(tags),
                                        "output": {"ok": True}}).encode()


def steady_stream(tag: str) -> list[tuple[bytes, bytes]]:
    """The same mix of one action class before and after a promotion: 10 reads, 10 writes."""
    return [result(f"{tag}-r{i}", "job.support.read") for i in range(10)] + [
        result(f"{tag}-w{i}", "job.support.update-ticket", ("write",)) for i in range(10)]


def latest(records: list[Record], identity: str = IDENTITY) -> dict[str, Any]:
    mine = [r.json() for r in records if r.key == pair_key(identity, CLASS).encode()]
    return mine[-1] if mine else {}


def wait_for(bootstrap: str, topic: str, holds: Callable[[dict[str, Any]], bool],
             identity: str = IDENTITY) -> dict[str, Any]:
    seen = collect(bootstrap, [topic], done=lambda s: holds(latest(s[topic], identity)),
                   timeout=90, settle=0.5)
    record = latest(seen[topic], identity)
    assert holds(record), f"autonomy record never reached the expected state: {record}"
    return record


def test_verdicts_promote_after_sign_off_and_an_incident_demotes(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        start_scorer: ScorerFactory, tmp_path: Path) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
           "AFTERGUARD_DATA_DIR": str(tmp_path / "scorer"), "AFTERGUARD_WORKER_ID": "scorer-1"}
    scorer = start_scorer(topics, env)
    start_worker(topics)
    own = topics.inputs[0]
    identity = f"topic:{own}"  # the level is the topic's, whatever agent id it claims
    produce(kafka_bootstrap, topics.inputs[0], [result("before-1"), *steady_stream("before")])
    produce(kafka_bootstrap, topics.verdicts, [verdict(n, topic=own) for n in range(49)],
            sign=SIGNED_VERDICT)
    # verdicts and audit decisions reach the scorer on two streams: wait for both counts
    record = wait_for(kafka_bootstrap, topics.autonomy,
                      lambda r: r.get("totals", {}).get("reviews") == 49
                      and r["totals"].get("decisions") == 21, identity)
    assert record["level"] == 0 and record["pending"] is None
    assert record["promotion"]["clean_reviews_needed"] == 1
    assert record["totals"]["decisions"] == 21, "the audit stream is counted too"

    cli_env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
               **topic_env(topics)}
    early = CliRunner().invoke(main, ["autonomy", "approve", identity, "--action-class", CLASS,
                                      "--level", "1"], env=cli_env)
    assert early.exit_code == 1 and "needs 1 more clean reviews" in early.output
    named = CliRunner().invoke(main, ["autonomy", "approve", identity, "--action-class", CLASS,
                                      "--level", "1", "--reviewer", "carol"], env=cli_env)
    assert named.exit_code == 2 and "--reviewer is no longer taken" in named.output

    produce(kafka_bootstrap, topics.verdicts, [verdict(49, topic=own)], sign=SIGNED_VERDICT)
    record = wait_for(kafka_bootstrap, topics.autonomy, lambda r: r.get("pending") is not None,
                      identity)
    assert record["level"] == 0, "proposed, not promoted"
    assert record["pending"]["outlook"]["error_rate_upper"] == pytest.approx(0.0582, abs=5e-4)

    # A sign-off naming a person, signed with the operator key (before: effective, "by
    # carol"): the name is not the key's, so it changes nothing and is dead-lettered.
    forged = {"kind": "signoff", "signoff_id": "so-named", "identity": identity,
              "action_class": CLASS, "level": 1, "reviewer": "carol",
              "requested_at": datetime.now(UTC).isoformat()}
    produce(kafka_bootstrap, f"{app_id}-autonomy-events",
            [(pair_key(identity, CLASS).encode(), json.dumps(forged).encode())],
            sign=("operator", RecordKind.AUTONOMY_EVENT))
    by_agent = CliRunner().invoke(main, ["autonomy", "approve", AGENT, "--action-class", CLASS,
                                         "--level", "1"], env=cli_env)
    assert by_agent.exit_code == 1 and f"came from: {identity}" in by_agent.output, \
        "an agent id is a label: the CLI names the identity to sign off instead"
    approved = CliRunner().invoke(main, ["autonomy", "approve", identity, "--action-class", CLASS,
                                         "--level", "1"], env=cli_env)
    assert approved.exit_code == 0, approved.output
    assert "level 1 effective" in approved.output
    approver = next(json.loads(line) for line in approved.output.splitlines()
                    if line.startswith("{"))["approver_id"]
    assert re.fullmatch(r"operator:[0-9a-f]{16}", approver), approver
    shown = CliRunner().invoke(main, ["autonomy", "show", AGENT], env=cli_env)
    assert "level 1 assisted" in shown.output and f"by {approver}" in shown.output
    assert "carol" not in shown.output
    letters = collect(kafka_bootstrap, [topics.deadletter],
                      done=lambda s: len(s[topics.deadletter]) >= 1)[topics.deadletter]
    assert [(r.json()["error"], "so-named names another approver" in r.json()["reason"])
            for r in letters] == [("bad_signature", True)]

    read_past(kafka_bootstrap, topics.autonomy, topics.deadletter)  # the worker has the level
    produce(kafka_bootstrap, topics.inputs[0], [result("after-1"), *steady_stream("after")])
    audits = {r.json()["job_id"]: r.json() for r in collect(
        kafka_bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= 42)[topics.audit]}
    assert "autonomy_level_0" in audits["before-1"]["sampling"]["mandatory_reasons"]
    assert "autonomy_level_0" not in audits["after-1"]["sampling"]["mandatory_reasons"]
    # The promotion lowers the review volume as the level's scope says: at level 0 all 20
    # results of the steady stream were reviewed; at level 1 (assisted) every write still is,
    # the reads only when the stratified draw picks them (read: 0.02 x 0.5 = 1%).
    def reviewed(tag: str, kind: str) -> list[tuple[str, ...]]:
        return [tuple(a["sampling"]["mandatory_reasons"]) for job, a in audits.items()
                if job.startswith(f"{tag}-{kind}") and a["sampling"]["selected"]]
    assert len(reviewed("before", "r")) == 10 and len(reviewed("before", "w")) == 10
    assert reviewed("after", "w") == [("autonomy_scope:assisted:all-but-reads",)] * 10
    assert all(reasons == () for reasons in reviewed("after", "r"))
    assert len(reviewed("after", "r")) <= 2

    assert scorer.stop() == 0
    start_scorer(topics, env)  # the state comes back from the table's changelog
    produce(kafka_bootstrap, topics.verdicts, [verdict(50, severity="safety_incident", topic=own)],
            sign=SIGNED_VERDICT)
    record = wait_for(kafka_bootstrap, topics.autonomy,
                      lambda r: r.get("totals", {}).get("incidents") == 1, identity)
    assert record["level"] == 0 and record["last_change"]["trigger"] == "safety_incident"
    assert record["totals"]["reviews"] == 51, "the 50 reviews before the restart were kept"

    changes = [r.json() for r in collect(
        kafka_bootstrap, [topics.autonomy_audit],
        done=lambda s: len(s[topics.autonomy_audit]) >= 2)[topics.autonomy_audit]]
    assert [(c["payload"]["from_level"], c["payload"]["to_level"], c["approver_id"])
            for c in changes] == [(0, 1, approver), (1, 0, None)]
    assert all(c["event_type"] == "autonomy_change" for c in changes)
    # named as the scorer's audit topic: its records are chained, not signed (docs/audit.md)
    verified = CliRunner().invoke(main, ["audit", "verify", "--bootstrap", kafka_bootstrap,
                                         "--topic", topics.autonomy_audit],
                                  env={"AFTERGUARD_TOPIC_AUTONOMY_AUDIT": topics.autonomy_audit})
    assert verified.exit_code == 0, verified.output
    assert SAMPLING_KEY  # the worker above ran with the shared sampling key


def test_the_scorer_counts_only_decisions_the_worker_signed(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        start_scorer: ScorerFactory, tmp_path: Path) -> None:
    """Anyone who can write the worker's audit topic could add decision records for any agent,
    and the scorer counted them (it read the topic without checking the worker's signatures,
    which the sink and `audit verify` check): now such a record is a `bad_signature` dead
    letter and counts for nothing; the worker's own records still count."""
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    start_scorer(topics, {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
                          "AFTERGUARD_WORKER_ID": "scorer-1"})
    start_worker(topics)
    own = topics.inputs[0]
    forged = {"event_id": "forged-1", "event_type": "decision", "job_id": "forged-1",
              "agent_id": AGENT, "action": ACTION, "payload": {"decision": "QUARANTINE"},
              "sampling": {"selected": True},
              "source": {"topic": own, "partition": 0, "offset": 0}}
    produce(kafka_bootstrap, topics.audit, [(b"forged-1", json.dumps(forged).encode())] * 3)
    produce(kafka_bootstrap, topics.inputs[0], [result("real-1")])
    collect(kafka_bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= 4)
    produce(kafka_bootstrap, topics.verdicts, [verdict(0, topic=own)], sign=SIGNED_VERDICT)
    record = wait_for(kafka_bootstrap, topics.autonomy,
                      lambda r: r.get("totals", {}).get("reviews") == 1
                      and r["totals"].get("decisions", 0) >= 1, f"topic:{own}")
    letters = collect(kafka_bootstrap, [topics.deadletter], timeout=30,
                      done=lambda s: len(s[topics.deadletter]) >= 3)[topics.deadletter]
    record = wait_for(kafka_bootstrap, topics.autonomy,  # the latest, once all are read
                      lambda r: r.get("totals", {}).get("reviews") == 1, f"topic:{own}")
    assert (record["totals"]["decisions"], record["totals"]["quarantined"]) == (1, 0), \
        "the forged decision records counted as the agent's"
    refused = [r.json() for r in letters]
    assert [(r["error"], r["source"]["topic"]) for r in refused] == \
        [("bad_signature", topics.audit)] * 3
