"""`afterguard demo`: a local broker, a worker, a few hundred agent results, decisions as they land."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import click
from aiokafka import AIOKafkaConsumer, TopicPartition

from policies.decision import job_id_in_key
from streams import broker
from streams.broker.local import afterguard_home
from streams.config import Settings, load_settings, topic_env
from streams.demo_data import DemoRecord, generate
from streams.kafka_connection import KafkaConnection, plaintext
from streams.worker.process import WorkerProcess

COLORS = {"ALLOW": "green", "REDACT": "yellow", "QUARANTINE": "red", "DEADLETTER": "magenta"}


def run_demo(count: int, keep_broker: bool, timeout: float) -> int:
    settings = load_settings()
    started_broker = False
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        kafka = settings.kafka
        click.echo(f"Using the Kafka broker at {kafka.bootstrap_servers}")
    else:
        was_running = broker.status() is not None
        click.echo("Using the local Kafka broker already running" if was_running else
                   "Starting a local Kafka broker (KRaft, Apache Kafka "
                   f"{broker.KAFKA_VERSION}; the first run fetches its jars with Maven)...")
        info = broker.start()
        started_broker = not was_running
        kafka = plaintext(info.bootstrap_servers)
        click.echo(f"  broker at {kafka.bootstrap_servers}, state in {info.state_dir}")
    topics = settings.topics
    log_path = demo_log_path()
    worker = WorkerProcess({"KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers, **topic_env(topics),
                            "AFTERGUARD_SAMPLING_KEY": demo_sampling_key()}, log_path)
    try:
        click.echo(f"Starting an Afterguard worker (log: {log_path})...")
        worker.wait_ready()
        run_id = "demo-" + uuid.uuid4().hex[:6]
        records = generate(count, run_id)
        missing = asyncio.run(_publish_and_watch(kafka, settings, records, timeout))
        _sign_checkpoints(kafka, settings)
    finally:
        worker.stop()
        if started_broker and not keep_broker:
            broker.stop()
            click.echo("Stopped the local broker (keep it with --keep-broker).")
    return 1 if missing else 0


def _sign_checkpoints(kafka: KafkaConnection, settings: Settings) -> None:
    """Verify the audit chain and sign checkpoints of its heads, as a deployment's
    `afterguard audit checkpoint` (or sink) does: what proves later that no tail was cut."""
    from streams.audit.checkpoint_service import run_checkpoints
    from streams.audit.sink_runner import CheckpointSettings

    topics = settings.topics
    stats = asyncio.run(run_checkpoints(
        kafka, topics.audit, "afterguard-demo-checkpoint",
        CheckpointSettings(topics.audit_checkpoints, settings.signer("audit").key),
        settings.verifier().trusted, stop_at_end=True))
    click.echo(f"\nAudit chain verified and {stats.checkpoints} checkpoint(s) signed on "
               f"{topics.audit_checkpoints} (chain problems: {stats.conflicts}); check it with "
               "`afterguard audit verify --checkpoints`.")


async def _publish_and_watch(kafka: KafkaConnection, settings: Settings, records: list[DemoRecord],
                             timeout: float) -> int:
    topics = settings.topics
    watched = [topics.released, topics.quarantine, topics.deadletter, topics.audit, topics.review]
    consumer = kafka.consumer(enable_auto_commit=False, isolation_level="read_committed")
    await consumer.start()
    producer = kafka.producer(acks="all", linger_ms=5)
    await producer.start()
    try:
        partitions = [TopicPartition(t, p) for t in watched
                      for p in sorted(await producer.partitions_for(t))]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:  # resolve the end offsets now, before anything is produced
            await consumer.position(tp)
        click.echo(f"Publishing {len(records)} agent action results to {topics.inputs[0]}...\n")
        sent = [(record.key, await producer.send(topics.inputs[0], record.value,
                                                 key=record.key.encode()))
                for record in records]
        # Dead letters are keyed by their source (topic/partition/offset), not the agent's key.
        by_source = {}
        for key, future in sent:
            metadata = await future
            by_source[f"{topics.inputs[0]}/{metadata.partition}/{metadata.offset}"] = key
        return await _watch(consumer, settings, records, timeout, by_source)
    finally:
        await producer.stop()
        await consumer.stop()


async def _watch(consumer: AIOKafkaConsumer, settings: Settings, records: list[DemoRecord],
                 timeout: float, by_source: dict[str, str]) -> int:
    topics = settings.topics
    expected = {r.key for r in records}
    planted = [value for r in records for value in r.planted]
    outcomes: dict[str, str] = {}
    audits: set[str] = set()
    reviews: Counter[str] = Counter()
    examples: list[dict[str, Any]] = []
    leaked = 0
    deadline = time.monotonic() + timeout
    valid = sum(1 for r in records if not r.malformed)
    while time.monotonic() < deadline and (len(outcomes) < len(expected) or len(audits) < valid):
        batches = await consumer.getmany(timeout_ms=500)
        for tp, messages in batches.items():
            for message in messages:
                key = (message.key or b"").decode(errors="replace")
                if tp.topic == topics.deadletter:
                    key = by_source.get(key, key)
                else:  # a result's records are keyed `<source topic>/<job_id>`
                    key = job_id_in_key(message.key)
                if key not in expected:
                    continue
                body = json.loads(message.value)
                if tp.topic == topics.audit:
                    audits.add(key)
                    continue
                if tp.topic == topics.review:
                    sampling = body["sampling"]
                    why = (sampling["mandatory_reasons"][0] if sampling["mandatory_reasons"]
                           else f"sampled in stratum {sampling['stratum']}")
                    reviews[f"{sampling['reviewer_group']} ({why})"] += 1
                    continue
                if tp.topic == topics.deadletter:
                    outcomes[key] = "DEADLETTER"
                    _line("DEADLETTER", key, (body.get("source") or {}).get("topic", "-"),
                          body["reason"])
                    continue
                outcomes[key] = body["decision"]
                detail = ", ".join(f"{r['entity']}@{r['path']} ({r['action']})"
                                   for r in body["redactions"]) or "; ".join(body["reasons"])
                if body["decision"] == "QUARANTINE":
                    detail = "held for review: " + (", ".join(body["rule_ids"]) or detail)
                else:
                    text = json.dumps(body["output"])
                    leaked += sum(1 for value in planted if value in text)
                    if body["decision"] == "REDACT":
                        examples = _examples([*examples, body])
                _line(body["decision"], key, body["action"], detail)
    _summary(outcomes, audits, reviews, expected, valid, examples, planted, leaked)
    return len(expected) - len(outcomes)


def _line(decision: str, key: str, what: str, detail: str) -> None:
    label = click.style(f"{decision:<10}", fg=COLORS.get(decision), bold=True)
    click.echo(f"{label} {key}  {what:<30} {detail[:110]}")


def _examples(redacted: list[dict[str, Any]], most: int = 3) -> list[dict[str, Any]]:
    """The redacted results to show in full: of different actions, those with the most
    redactions first (whatever order the partitions' results arrive in)."""
    best: dict[str, dict[str, Any]] = {}
    for body in redacted:
        known = best.get(body["action"])
        if known is None or len(body["redactions"]) > len(known["redactions"]):
            best[body["action"]] = body
    ranked = sorted(best.values(), key=lambda b: (-len(b["redactions"]), b["action"]))
    return ranked[:most]


def _summary(outcomes: dict[str, str], audits: set[str], reviews: Counter[str],
             expected: set[str], valid: int,
             examples: list[dict[str, Any]], planted: list[str], leaked: int) -> None:
    counts = Counter(outcomes.values())
    click.echo("\n" + click.style("Decisions", bold=True))
    for decision in ("ALLOW", "REDACT", "QUARANTINE", "DEADLETTER"):
        click.echo(f"  {decision:<11} {counts.get(decision, 0):>5}")
    click.echo(f"  {'total':<11} {len(outcomes):>5} of {len(expected)} published")
    click.echo(f"  audit records: {len(audits)} for {valid} valid results")
    click.echo(f"  review items: {sum(reviews.values())} (group, first reason)")
    for group, n in sorted(reviews.items()):
        click.echo(f"    {group:<52} {n:>5}")
    if any("autonomy_level_0" in group for group in reviews):
        click.echo("    (agents start supervised, level 0: all their results are reviewed until "
                   "`afterguard autonomy` promotes them)")
    click.echo(f"  sensitive values planted: {len(planted)}; "
               f"seen unredacted in released outputs: {leaked}")
    for body in examples:
        click.echo("\n" + click.style(f"Redacted example: {body['action']} ({body['job_id']})",
                                      bold=True))
        click.echo(json.dumps(body["output"], indent=2))
        for redaction in body["redactions"]:
            click.echo(f"  - {redaction['path']}: {redaction['entity']} -> {redaction['action']}"
                       f" [{redaction['rule_id']}] {redaction['reason']}")
    if len(outcomes) < len(expected):
        click.echo(click.style(f"\n{len(expected) - len(outcomes)} results got no decision "
                               "before the timeout; see the worker log.", fg="red"))


def demo_sampling_key() -> str:
    """AFTERGUARD_SAMPLING_KEY if set, else a key made once for this machine's demo runs."""
    if os.environ.get("AFTERGUARD_SAMPLING_KEY"):
        return os.environ["AFTERGUARD_SAMPLING_KEY"]
    path = afterguard_home() / "keys" / "demo-sampling.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_log_path() -> Path:
    return broker.default_state_dir().parent / "demo-worker.log"
