"""Records between services are signed, and every consumer checks: forged review items,
quarantine holds, verdicts, sign-offs and autonomy levels, produced with a plain Kafka client,
release nothing, queue nothing, promote no one, and land on the dead-letter topic as
`bad_signature`. Real broker, real services."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from streams.kafka_connection import KafkaConnection
from streams.review.client import ReviewApiError
from streams.signing import RecordKind, RecordSigner, SigningKey
from tests.conftest import WorkerFactory
from tests.integration.test_autonomy import (  # start_scorer: a fixture used below
    ScorerFactory,
    start_scorer,  # noqa: F401
    verdict,
)
from tests.kafka_io import Record, collect, connection, produce
from tests.review_service import (
    SIGNED_HOLD,
    SIGNED_ITEM,
    ServiceFactory,
    decide_once_held,
    quarantine_record,
    review_item,
    write_policy,
)

pytestmark = pytest.mark.integration


def bad_signatures(records: list[Record]) -> list[dict[str, Any]]:
    return [r.json() for r in records if r.json()["error"] == "bad_signature"]


def forged_by_stranger(kind: RecordKind, records: list[tuple[bytes, bytes]]
                       ) -> list[tuple[bytes, bytes, Any]]:
    """Signed, but with a key no consumer trusts (an attacker's own 'worker' key)."""
    signer = RecordSigner(SigningKey.generate("worker"))
    return [(k, v, signer.headers(kind, k, v)) for k, v in records]


def produce_with_headers(bootstrap: str, topic: str,
                         records: list[tuple[bytes, bytes, Any]]) -> None:
    async def run() -> None:
        producer = connection(bootstrap).producer(acks="all")
        await producer.start()
        try:
            for key, value, headers in records:
                await producer.send_and_wait(topic, value, key=key, headers=headers)
        finally:
            await producer.stop()

    asyncio.run(run())


def test_forged_review_items_and_quarantine_records_queue_and_release_nothing(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    # A forged item (unsigned) and one signed by an untrusted key: neither may be queued.
    produce(kafka_bootstrap, topics.review, [review_item(1)])
    produce_with_headers(kafka_bootstrap, topics.review,
                         forged_by_stranger(RecordKind.REVIEW_ITEM, [review_item(2)]))
    # A real item whose quarantine record an attacker races with its own output.
    forged_hold = json.loads(quarantine_record(3)[1])
    forged_hold["output"] = {"log": "attacker's output"}
    produce(kafka_bootstrap, topics.quarantine, [(b"job-3", json.dumps(forged_hold).encode())])
    # ...and a review item signed by the review service's key: trusted, but not for items.
    produce(kafka_bootstrap, topics.review, [review_item(4)], sign=("review",
                                                                    RecordKind.REVIEW_ITEM))
    produce(kafka_bootstrap, topics.review, [review_item(3)], sign=SIGNED_ITEM)

    claimed: list[str] = []
    for _ in range(60):
        claimed += [e["entry_id"] for e in service.client.pull("ops-review", "ann")["claimed"]]
        if "rv-3" in claimed:
            break
        time.sleep(0.5)
    # Every forged record has been read and refused (dead-lettered) by now: any of them that
    # had been queued instead would be pulled next.
    collect(kafka_bootstrap, [topics.deadletter], done=lambda s: len(s[topics.deadletter]) >= 4,
            timeout=60, settle=0)
    claimed += [e["entry_id"] for e in service.client.pull("ops-review", "ann")["claimed"]]
    assert set(claimed) == {"rv-3"}, "only the signed review item is queued"
    # The forged hold was refused: the service holds nothing to release for job-3 yet.
    with pytest.raises(ReviewApiError, match="has not reached the review service"):
        service.client.decide("rv-3", "approve", "ann")

    seen = collect(kafka_bootstrap, [topics.deadletter, topics.released],
                   done=lambda s: len(s[topics.deadletter]) >= 4, timeout=60, settle=2.0)
    assert seen[topics.released] == [], "nothing released from a forged hold"
    letters = bad_signatures(seen[topics.deadletter])
    reasons = sorted(letter["reason"].split(" record")[0] + ": " + letter["source"]["topic"]
                     .rsplit(".", 1)[-1] for letter in letters)
    assert len(letters) == 4, letters
    assert [r for r in reasons if r.startswith("unsigned")] == [
        "unsigned quarantine_hold: quarantine", "unsigned review_item: review"]
    assert any("unknown key" in letter["reason"] for letter in letters)
    assert any("does not produce review_item" in letter["reason"] for letter in letters)
    # No dead-letter key in this test: the letters name what was refused, and keep no bytes.
    assert all(letter["value_bytes"] and not letter.get("value_b64") for letter in letters)

    # The worker's signed quarantine record is what the approval releases.
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(3)], sign=SIGNED_HOLD)
    decide_once_held(service, "rv-3", "approve")
    released = collect(kafka_bootstrap, [topics.released],
                       done=lambda s: len(s[topics.released]) >= 1, timeout=60)
    outputs = [r.json()["output"] for r in released[topics.released]]
    assert outputs == [{"log": "held output 3"}]


def test_review_items_signed_in_one_batch_queue_and_an_edited_one_is_refused(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """The worker signs a batch's review items with one signature (streams/signing/batches.py):
    each item verifies on its own, and an item edited on its way (its headers kept), one
    given another item's proof, and one re-keyed are each refused and dead-lettered while
    the untouched items of the same batch are queued."""
    from streams.broker.local import afterguard_home
    from streams.signing import local_keyring

    service = start_review(topics, write_policy(tmp_path))
    worker = RecordSigner(local_keyring(afterguard_home()).signing_key("worker"))
    items = [review_item(n) for n in (21, 22, 23, 24, 25)]
    signed = worker.headers_each([(RecordKind.REVIEW_ITEM, key, value) for key, value in items])
    edited = json.loads(items[1][1])
    edited["sampling"]["reviewer_group"] = "finance-approvers"  # steered to another group
    records = [(items[0][0], items[0][1], signed[0]),
               (items[1][0], json.dumps(edited).encode(), signed[1]),
               (items[2][0], items[2][1], signed[3]),  # another item's path
               (b"job-99", items[3][1], signed[3]),  # under another job's key
               (items[4][0], items[4][1], signed[4])]
    produce_with_headers(kafka_bootstrap, topics.review, records)

    seen = collect(kafka_bootstrap, [topics.deadletter],
                   done=lambda s: len(s[topics.deadletter]) >= 3, timeout=60, settle=2.0)
    letters = bad_signatures(seen[topics.deadletter])
    assert len(letters) == 3, letters
    assert all("does not match" in letter["reason"] for letter in letters), letters
    claimed: list[str] = []
    for _ in range(60):
        claimed += [e["entry_id"] for e in service.client.pull("ops-review", "ann")["claimed"]]
        if {"rv-21", "rv-25"} <= set(claimed):
            break
        time.sleep(0.5)
    claimed += [e["entry_id"] for e in service.client.pull("ops-review", "ann")["claimed"]]
    claimed += [e["entry_id"] for e in service.client.pull("finance-approvers", "bob")["claimed"]]
    assert sorted(claimed) == ["rv-21", "rv-25"], "only the untouched items are queued"


def test_forged_verdicts_and_sign_offs_promote_no_one(
        kafka_bootstrap: str, topics: Topics, start_scorer: ScorerFactory,  # noqa: F811
        tmp_path: Path) -> None:
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    scorer = start_scorer(topics, {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
        "AFTERGUARD_DATA_DIR": str(tmp_path / "scorer"), "AFTERGUARD_WORKER_ID": "scorer-1"})
    # Fifty clean verdicts would make the scorer propose a promotion; forged, they count for
    # nothing. So does a sign-off sent straight to the scorer's events topic.
    produce(kafka_bootstrap, topics.verdicts, [verdict(n) for n in range(50)])
    signoff = {"kind": "signoff", "signoff_id": "so-forged", "identity": "topic:agent.actions",
               "action_class": "job.support", "level": 1, "reviewer": "mallory",
               "requested_at": "2026-11-27T12:00:00+00:00"}
    produce(kafka_bootstrap, f"{app_id}-autonomy-events",
            [(b"topic:agent.actions\x1fjob.support", json.dumps(signoff).encode())])
    # A signed verdict about another topic's result shows when the scorer has read past the
    # forgeries.
    other = json.loads(verdict(99, topic="other.actions")[1]) | {"agent_id": "agent-b"}
    produce(kafka_bootstrap, topics.verdicts, [(b"other", json.dumps(other).encode())],
            sign=("review", RecordKind.VERDICT))
    seen = collect(kafka_bootstrap, [topics.autonomy, topics.deadletter],
                   done=lambda s: len(s[topics.autonomy]) >= 1
                   and len(s[topics.deadletter]) >= 51, timeout=90, settle=3.0)
    identities = {r.json()["identity"] for r in seen[topics.autonomy]}
    assert identities == {"topic:other.actions"}, \
        "no autonomy state for the identity of the forged verdicts"
    letters = bad_signatures(seen[topics.deadletter])
    assert len(letters) == 51
    assert sum("unsigned verdict" in letter["reason"] for letter in letters) == 50
    assert sum("unsigned autonomy_event" in letter["reason"] for letter in letters) == 1
    assert scorer.stop() == 0


def test_a_forged_autonomy_level_leaves_the_agent_supervised(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    start_worker(topics)

    def result(job_id: str) -> tuple[bytes, bytes]:
        return job_id.encode(), json.dumps({
            "job_id": job_id, "agent_id": "agent-a", "action": "job.support.lookup",
            "tenant": "acme", "risk_tags": ["read"], "output": {"ok": True}}).encode()

    produce(kafka_bootstrap, topics.inputs[0], [result("job-0")])  # the worker is following
    collect(kafka_bootstrap, [topics.audit], done=lambda s: len(s[topics.audit]) >= 1,
            timeout=90, settle=0)
    identity = f"topic:{topics.inputs[0]}"
    level = {"identity": identity, "action_class": "job.support", "level": 3}
    forged = json.dumps(level).encode()
    key = f"{identity}\x1fjob.support".encode()
    produce(kafka_bootstrap, topics.autonomy, [(key, forged)])
    produce(kafka_bootstrap, topics.autonomy, [(key, forged)],
            sign=("worker", RecordKind.AUTONOMY_LEVEL))  # a worker may not set levels
    # The worker has read both (and learnt neither) once it has dead-lettered both.
    collect(kafka_bootstrap, [topics.deadletter], done=lambda s: len(s[topics.deadletter]) >= 2,
            timeout=90, settle=0)
    produce(kafka_bootstrap, topics.inputs[0], [result("job-1")])
    seen = collect(kafka_bootstrap, [topics.audit, topics.deadletter],
                   done=lambda s: len(s[topics.audit]) >= 2 and len(s[topics.deadletter]) >= 2,
                   timeout=90)
    audit = next(r.json() for r in seen[topics.audit] if r.json()["job_id"] == "job-1")
    assert "autonomy_level_0" in audit["sampling"]["mandatory_reasons"], \
        "a forged level 3 would have taken the agent out of supervision"
    letters = bad_signatures(seen[topics.deadletter])
    assert len(letters) == 2 and {letter["source"]["topic"] for letter in letters} == {
        topics.autonomy}
    assert any("of service 'worker', which does not produce autonomy_level" in letter["reason"]
               for letter in letters)


def test_a_forged_scorer_state_or_level_promotes_no_one(
        kafka_bootstrap: str, topics: Topics, kafka: KafkaConnection,
        start_scorer: ScorerFactory) -> None:  # noqa: F811
    """The scorer's compacted state topic is read back at every start, and `autonomy show`
    reads the levels topic: a level 3 written there with a plain client (unsigned, or signed
    with a key nobody trusts) must count for nothing (before: restored, then published as the
    scorer's own signed level; shown to the operator as the agent's level)."""
    from click.testing import CliRunner

    from sampling.autonomy import AutonomyRecord, AutonomyState
    from streams.autonomy.events import pair_key
    from streams.cli import main
    from streams.config import topic_env
    from streams.kafka_admin import ensure_topics
    from tests.integration.test_autonomy import AGENT, CLASS, IDENTITY, SIGNED_VERDICT

    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    state_topic = f"{app_id}-autonomy-state"
    asyncio.run(ensure_topics(kafka, [state_topic], partitions=3, compacted=True))
    key = pair_key(IDENTITY, CLASS).encode()
    now = datetime.now(UTC)
    forged = AutonomyState(identity=IDENTITY, agent_ids=(AGENT,), action_class=CLASS, level=3,
                           level_name="autonomous", level_since=now, policy_snapshot="forged",
                           updated_at=now).model_dump_json().encode()
    produce(kafka_bootstrap, state_topic, [(key, forged)])
    produce_with_headers(kafka_bootstrap, state_topic,
                         forged_by_stranger(RecordKind.AUTONOMY_STATE, [(key, forged)]))
    start_scorer(topics, {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
        "AFTERGUARD_WORKER_ID": "scorer-1"})
    produce(kafka_bootstrap, topics.verdicts, [verdict(0)], sign=SIGNED_VERDICT)
    seen = collect(kafka_bootstrap, [topics.autonomy], done=lambda s: any(
        r.key == key for r in s[topics.autonomy]), timeout=90, settle=0)
    scored = [r.json() for r in seen[topics.autonomy] if r.key == key][-1]
    assert (scored["level"], scored["totals"]["reviews"]) == (0, 1), \
        "the forged state's level 3 would have been restored and published"

    later = AutonomyRecord.model_validate(json.loads(forged) | {
        "updated_at": datetime.now(UTC).isoformat()}).model_dump_json().encode()
    produce(kafka_bootstrap, topics.autonomy, [(key, later)])
    cli_env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
               **topic_env(topics)}
    shown = CliRunner().invoke(main, ["autonomy", "show", AGENT, "--json"], env=cli_env)
    assert shown.exit_code == 0, shown.output
    assert [json.loads(line)["level"] for line in shown.output.splitlines()] == [0]


def test_services_with_their_own_key_files_trust_only_the_trusted_keys_file(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        start_review: ServiceFactory, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from streams.cli import main

    keys = tmp_path / "keys"
    assert CliRunner().invoke(main, ["keys", "init", "--dir", str(keys)]).exit_code == 0
    trusted = {"AFTERGUARD_TRUSTED_KEYS_FILE": str(keys / "trusted.keys")}
    start_worker(topics, AFTERGUARD_SIGNING_KEY_FILE=str(keys / "worker.key"), **trusted)
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_SIGNING_KEY_FILE=str(keys / "review.key"), **trusted)
    result = {"job_id": "job-key", "agent_id": "agent-a", "action": "job.ops.run",
              "output": {"log": "token ghp_abcdefghijklmnopqrstuvwxyz0123456789"}}
    produce(kafka_bootstrap, topics.inputs[0], [(b"job-key", json.dumps(result).encode())])
    # This machine's own worker key is not in the trusted keys file: refused.
    produce(kafka_bootstrap, topics.review, [review_item(7, group="security-team")],
            sign=SIGNED_ITEM)
    claimed: set[str] = set()
    for _ in range(120):
        claimed |= {e["item"]["job_id"] for e in
                    service.client.pull("security-team", "ann")["claimed"]}
        if "job-key" in claimed:
            break
        time.sleep(0.5)
    assert claimed == {"job-key"}, "the worker's item, signed with its key file, is queued"
    seen = collect(kafka_bootstrap, [topics.deadletter],
                   done=lambda s: len(bad_signatures(s[topics.deadletter])) >= 1, timeout=60)
    letters = bad_signatures(seen[topics.deadletter])
    assert len(letters) == 1 and "unknown key" in letters[0]["reason"]
