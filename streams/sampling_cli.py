"""`afterguard sampling report`: per-stratum sample sizes, inclusion probabilities and the
weighted error-rate estimate over a window of the audit topic (or a JSON Lines export), and
the first times not reviewed as such (over their identity's `first_time_limit`);
`afterguard sampling recompute`: every draw recomputed with the key (docs/sampling.md)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sampling import SamplingKey
from sampling.recompute import key_fingerprint, recompute
from sampling.report import build_report, render
from streams.audit.cli import TOPIC
from streams.audit.topic_io import read_all
from streams.kafka_admin import missing_topics
from streams.kafka_cli import KAFKA, require_connection
from streams.kafka_connection import KafkaConnection

if TYPE_CHECKING:
    from policies.loader import LoadedPolicy
    from policies.sections.trust import TrustPolicy

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
POLICY = click.option(
    "--policy", "policy_file", envvar="AFTERGUARD_POLICY",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The policy the workers run (env AFTERGUARD_POLICY; default the shipped default "
         "policy).")


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
@POLICY
def report_command(kafka: KafkaConnection, topic: str, export: Path | None, verdicts_topic: str,
                   verdicts_file: Path | None, since: datetime | None, until: datetime | None,
                   confidence: float, policy_file: Path | None) -> None:
    """Print the per-stratum report and, once verdicts exist, the error-rate estimate; then
    the first times past their verified identity's `first_time_limit` (its trust section
    names the identities), which were not reviewed as first times."""
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
    if any((a.get("sampling") or {}).get("first_time_over_limit") for a in audits):
        for line in over_limit_lines(audits, _policy(policy_file).policy.trust):
            click.echo(line)


def over_limit_lines(audits: list[dict[str, Any]], trust: TrustPolicy | None) -> list[str]:
    """The first times not reviewed as such (`first_time_over_limit`), per verified identity
    (policies.claims.verified_identity under `trust`): how many, how many the draw selected
    anyway, and when the first and last were decided. None: no lines."""
    from policies.claims import verified_identity

    over: dict[str, list[dict[str, Any]]] = {}
    for audit in audits:
        if (audit.get("sampling") or {}).get("first_time_over_limit"):
            topic = (audit.get("source") or {}).get("topic")
            holder = verified_identity(trust, topic, str(audit.get("agent_id", "")),
                                       str(audit.get("action", "")))
            over.setdefault(holder, []).append(audit)
    if not over:
        return []
    total = sum(map(len, over.values()))
    lines = [f"{total} first-time results over their identity's first_time_limit (not reviewed "
             "as first times; sampled like other results):"]
    for holder, found in sorted(over.items(), key=lambda item: (-len(item[1]), item[0])):
        stamps = sorted(str(a.get("decision_ts")) for a in found)
        selected = sum(bool(a["sampling"].get("selected")) for a in found)
        lines.append(f"  {holder}: {len(found)} ({selected} selected by the draw), "
                     f"{stamps[0]} to {stamps[-1]}")
    return lines


def _aware(stamp: datetime | None) -> datetime | None:
    return stamp.replace(tzinfo=UTC) if stamp is not None and stamp.tzinfo is None else stamp


@sampling.command("recompute")
@KAFKA
@TOPIC
@click.option("--file", "export", type=FILE,
              help="An audit export (`afterguard audit export`) instead of the topic.")
@click.option("--key-file", type=FILE,
              help="The sampling key's file (its text, stripped, is the key; docs/sampling.md). "
                   "Default: the key the policy's sampling.key names (env variable or file).")
@POLICY
def recompute_command(kafka: KafkaConnection, topic: str, export: Path | None,
                      key_file: Path | None, policy_file: Path | None) -> None:
    """Recompute every decision's sampling draw with the key and report each record whose
    recorded draw or `drawn` the key does not give. Exit 1 on any mismatch, or when no record
    was made under this key; 2 when the key, the file or the topic cannot be read."""
    key = _sampling_key(key_file, policy_file)
    if export is not None:
        records = [(f"line {n}", line) for n, line in
                   enumerate(export.read_bytes().splitlines(), start=1) if line.strip()]
    else:
        entries = asyncio.run(read_all(require_connection(kafka), topic))
        records = [(f"partition {e.partition} offset {e.position}", e.value) for e in entries]
    report = recompute(records, key)
    for mismatch in report.mismatches:
        click.echo(f"  {mismatch.position} ({mismatch.job_id}): {mismatch.problem}")
    click.echo(f"{report.checked} draws checked under key id {key_fingerprint(key.key_id)}: "
               f"{report.matched} match, {len(report.mismatches)} mismatches")
    if report.other_keys:
        click.echo(f"{sum(report.other_keys.values())} record(s) made under other keys: "
                   + ", ".join(f"{k} ({n})" for k, n in sorted(report.other_keys.items()))
                   + " (not checked)")
    if report.not_decisions:
        click.echo(f"{report.not_decisions} record(s) without a draw (not decisions)")
    if report.unreadable:
        click.echo(f"{len(report.unreadable)} line(s) not audit records: "
                   + ", ".join(report.unreadable[:10])
                   + (" ..." if len(report.unreadable) > 10 else ""))
    if report.mismatches:
        click.echo(f"FAILED: {len(report.mismatches)} draw(s) do not match", err=True)
        sys.exit(1)
    if not report.checked:
        click.echo("FAILED: no draw was made under this key: nothing verified", err=True)
        sys.exit(1)


def _policy(policy_file: Path | None) -> LoadedPolicy:
    """The policy given, else the shipped default; exit 2 when it cannot be loaded."""
    from policies import PolicyError, load_policy, shipped_policy_path

    try:
        return load_policy(policy_file or shipped_policy_path("default"))
    except PolicyError as exc:
        unusable = click.ClickException(str(exc))
        unusable.exit_code = 2
        raise unusable from None


def _sampling_key(key_file: Path | None, policy_file: Path | None) -> SamplingKey:
    """The key from its file, or the one the policy names; exit 2 when it cannot be had."""
    from policies.sections.sampling import KeyRef
    from streams.config import ConfigError
    from streams.worker.keys import load_sampling_key

    try:
        if key_file is not None:
            return load_sampling_key(KeyRef(id="key-file", file=str(key_file)))
        loaded = _policy(policy_file)
        if loaded.policy.sampling is None:
            raise ConfigError(f"{policy_file}: the policy has no sampling section; give "
                              "--key-file")
        return load_sampling_key(loaded.policy.sampling.key)
    except ConfigError as exc:
        unusable = click.ClickException(str(exc))
        unusable.exit_code = 2
        raise unusable from None
