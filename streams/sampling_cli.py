"""`afterguard sampling report`: per-stratum sample sizes, inclusion probabilities and the
weighted error-rate estimate over a window of the audit topic (or a JSON Lines export)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from sampling.report import build_report, render
from streams.audit.cli import TOPIC
from streams.audit.topic_io import read_all
from streams.kafka_admin import missing_topics
from streams.kafka_cli import KAFKA, require_connection
from streams.kafka_connection import KafkaConnection

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def sampling() -> None:
    """Post-hoc review sampling: what was sampled, and what reviews found."""


def _lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.strip()]


async def _topic_values(kafka: KafkaConnection, topic: str) -> list[bytes]:
    """Every record's value; MissingTopic when the topic does not exist (nothing is created)."""
    return [entry.value for entry in await read_all(kafka, topic)]


async def _verdict_values(kafka: KafkaConnection, topic: str) -> list[bytes]:
    """The verdicts, or none (said on stderr) when no review service has made the topic yet."""
    if await missing_topics(kafka, [topic]):
        click.echo(f"note: no verdicts topic {topic} on {kafka.bootstrap_servers}: no "
                   "verdicts counted (--verdicts-topic)", err=True)
        return []
    return await _topic_values(kafka, topic)


def _in_window(audit: dict[str, Any], since: datetime | None, until: datetime | None) -> bool:
    stamp = datetime.fromisoformat(str(audit.get("decision_ts")))
    return (since is None or stamp >= since) and (until is None or stamp < until)


def errors_by_job(verdicts: list[dict[str, Any]]) -> dict[str, bool]:
    """The latest verdict per job decides: reject or modify is an error."""
    latest: dict[str, dict[str, Any]] = {}
    for verdict in sorted(verdicts, key=lambda v: str(v.get("decided_at"))):
        latest[verdict["job_id"]] = verdict
    return {job: v["verdict"] in ("reject", "modify") for job, v in latest.items()}


@sampling.command("report")
@KAFKA
@TOPIC
@click.option("--file", "export", type=FILE, help="An audit export (JSON Lines) instead.")
@click.option("--verdicts-topic", envvar="AFTERGUARD_TOPIC_VERDICTS",
              default="afterguard.review.verdicts", show_default=True)
@click.option("--verdicts-file", type=FILE, help="Verdicts as JSON Lines instead.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
              help="Only decisions at or after this time.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
              help="Only decisions before this time.")
@click.option("--confidence", default=0.95, show_default=True, type=click.FloatRange(0.5, 0.999))
def report_command(kafka: KafkaConnection, topic: str, export: Path | None, verdicts_topic: str,
                   verdicts_file: Path | None, since: datetime | None, until: datetime | None,
                   confidence: float) -> None:
    """Print the per-stratum report and, once verdicts exist, the error-rate estimate."""
    since, until = _aware(since), _aware(until)
    if export is None:
        require_connection(kafka)
    audit_values = _lines(export) if export else asyncio.run(_topic_values(kafka, topic))
    verdict_values = (_lines(verdicts_file) if verdicts_file
                      else [] if export else asyncio.run(_verdict_values(kafka, verdicts_topic)))
    audits = [a for a in map(json.loads, audit_values)
              if a.get("event_type") == "decision" and _in_window(a, since, until)]
    verdicts = [json.loads(v) for v in verdict_values]
    click.echo(render(build_report(audits, errors_by_job(verdicts), confidence)))


def _aware(stamp: datetime | None) -> datetime | None:
    return stamp.replace(tzinfo=UTC) if stamp is not None and stamp.tzinfo is None else stamp
