"""`afterguard audit`: verify, export and sink the audit topic."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import click

from streams.audit.sink import SinkStats
from streams.audit.topic_io import read_all
from streams.audit.verify import Entry, PartitionReport, verify
from streams.kafka_cli import KAFKA, require_connection
from streams.kafka_connection import KafkaConnection

TOPIC = click.option("--topic", envvar="AFTERGUARD_TOPIC_AUDIT", default="afterguard.audit",
                     show_default=True, help="The audit topic (env AFTERGUARD_TOPIC_AUDIT).")
CHECKPOINT_TOPIC = click.option(
    "--checkpoint-topic", envvar="AFTERGUARD_TOPIC_AUDIT_CHECKPOINTS",
    default="afterguard.audit.checkpoints", show_default=True,
    help="The topic of signed chain checkpoints (env AFTERGUARD_TOPIC_AUDIT_CHECKPOINTS).")
AUDIT_TOPICS = click.option(
    "--topic", envvar="AFTERGUARD_TOPIC_AUDIT", default="afterguard.audit", show_default=True,
    help="Audit topics, comma-separated: e.g. afterguard.audit,afterguard.audit.review,"
         "afterguard.audit.autonomy to take verdicts and autonomy changes too.")


def checkpoint_cadence(command: Callable[..., None]) -> Callable[..., None]:
    """--checkpoint-every and --checkpoint-seconds: when a partition's head is signed."""
    every = click.option(
        "--checkpoint-every", type=click.IntRange(min=1), default=1000, show_default=True,
        help="Sign a checkpoint of a partition's head after this many records...")
    seconds = click.option(
        "--checkpoint-seconds", type=click.FloatRange(min=0.1), default=60.0,
        show_default=True, help="...or after this many seconds, whichever comes first.")
    return every(seconds(command))


@click.group()
def audit() -> None:
    """The tamper-evident audit trail: verify it, export it, load it into a warehouse."""


@audit.command("verify")
@KAFKA
@TOPIC
@click.option("--file", "export", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Verify an export (JSON Lines, one audit record a line) instead of a topic.")
@click.option("--checkpoints", "use_checkpoints", is_flag=True,
              help="Also compare each chain with the signed checkpoints of --topic: a cut "
                   "tail or a recomputed chain fails.")
@CHECKPOINT_TOPIC
@click.option("--checkpoint-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Checkpoints from an export (`audit checkpoints --out`) instead of the topic.")
def verify_command(kafka: KafkaConnection, topic: str, export: Path | None,
                   use_checkpoints: bool, checkpoint_topic: str,
                   checkpoint_file: Path | None) -> None:
    """Check every partition's hash chain; exit 1 on any gap, reordering, edit or broken link
    (and with --checkpoints, on a cut tail, a recomputed chain or a forged checkpoint)."""
    if export is not None:
        lines = export.read_bytes().splitlines()
        entries = [Entry(None, n, line) for n, line in enumerate(lines, start=1) if line.strip()]
        where = "line"
    else:
        entries = _signed_entries(kafka, topic)
        where = "offset"
    reports = verify(entries)
    for report in reports.values():
        _print(report, where)
    problems = sum(len(r.problems) for r in reports.values())
    if use_checkpoints or checkpoint_file is not None:
        problems += _check_against_checkpoints(kafka, topic, reports, checkpoint_topic,
                                               checkpoint_file)
    checked = sum(r.checked for r in reports.values())
    if problems:
        click.echo(f"FAILED: {problems} problem(s) in {checked} records", err=True)
        sys.exit(1)
    click.echo(f"OK: {checked} records in {len(reports)} partition(s), every chain intact")


def _signed_entries(kafka: KafkaConnection, topic: str) -> list[Entry]:
    """The topic's records, each with the verdict on the worker's signature
    (streams/audit/signatures.py)."""
    from streams.audit.topic_io import read_all_messages
    from streams.config import ConfigError, load_settings

    try:
        signatures = load_settings().audit_signatures()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    messages = asyncio.run(read_all_messages(require_connection(kafka), topic))
    return [Entry(m.partition, m.offset, m.value or b"",
                  signatures.problem(m.topic, m.partition, m.offset, m.key, m.value, m.headers))
            for m in messages]


def _print(report: PartitionReport, where: str) -> None:
    status = "ok" if not report.problems else f"{len(report.problems)} problem(s)"
    click.echo(f"partition {report.partition}: {report.checked} records checked, "
               f"last seq {report.last_seq}, {status}")
    for problem in report.problems:
        click.echo(f"  {problem.kind} at {where} {problem.position}: {problem.detail}")
    if report.duplicates:
        click.echo(f"  {len(report.duplicates)} duplicate event(s), re-emitted after a restart "
                   f"or retry (not tampering): first at {where} {report.duplicates[0][0]}")


def _check_against_checkpoints(kafka: KafkaConnection, topic: str,
                               reports: dict[int, PartitionReport], checkpoint_topic: str,
                               checkpoint_file: Path | None) -> int:
    from streams.audit.checkpoints import Checkpoint, checkpoint_problem, compare, parse_lines
    from streams.config import ConfigError, load_settings

    try:
        trusted = load_settings().verifier().trusted
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if checkpoint_file is not None:
        values = parse_lines(checkpoint_file.read_bytes())
    else:
        values = [e.value for e in asyncio.run(read_all(require_connection(kafka),
                                                        checkpoint_topic))]
    found = [checkpoint_problem(v, trusted) for v in values]
    good = [c for c in found if isinstance(c, Checkpoint)]
    problems = [p for p in found if not isinstance(p, Checkpoint)]
    problems += compare(topic, good, reports)
    mine = [c for c in good if c.audit_topic == topic]
    newest = {c.partition: c for c in sorted(mine, key=lambda c: c.seq)}
    click.echo(f"checkpoints: {len(mine)} signed checkpoint(s) of {topic}"
               + "".join(f"; partition {p} up to seq {c.seq} ({c.at.isoformat()})"
                         for p, c in sorted(newest.items())))
    if not mine:
        click.echo(f"  no signed checkpoint of {topic}: a cut tail cannot be detected",
                   err=True)
    for problem in problems:
        where = "" if problem.partition is None else f" in partition {problem.partition}"
        click.echo(f"  {problem.kind}{where}: {problem.detail}")
    return len(problems) + (0 if mine else 1)


@audit.command("checkpoints")
@KAFKA
@CHECKPOINT_TOPIC
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def checkpoints_command(kafka: KafkaConnection, checkpoint_topic: str, out: Path) -> None:
    """Write the signed checkpoints to a JSON Lines file (keep it apart from the audit data)."""
    written = _topic_to_lines(kafka, checkpoint_topic, out)
    click.echo(f"{written} checkpoints written to {out}")


@audit.command("export")
@KAFKA
@TOPIC
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_command(kafka: KafkaConnection, topic: str, out: Path) -> None:
    """Write the audit topic to a JSON Lines file, partition by partition in log order."""
    written = _topic_to_lines(kafka, topic, out)
    click.echo(f"{written} records written to {out}")


def _topic_to_lines(kafka: KafkaConnection, topic: str, out: Path) -> int:
    """Every record of `topic`, one per line in `out`, partition by partition in log order."""
    entries = asyncio.run(read_all(require_connection(kafka), topic))
    out.write_bytes(b"".join(e.value + b"\n" for e in entries))
    return len(entries)


def sink_summary(stats: SinkStats, rows: int) -> str:
    """What the sink did, every record read accounted for: a replay of records already loaded
    says it skipped them, and why."""
    if stats.read == 0:
        return (f"read 0: nothing new on the topic since the last run (--replay reads it again); "
                f"checkpoints {stats.checkpoints}; table holds {rows} rows")
    skipped = stats.duplicates + stats.skipped
    return (f"read {stats.read}; inserted {stats.inserted}; skipped {skipped} "
            f"({stats.duplicates} already loaded, {stats.skipped} not audit records); "
            f"conflicts {stats.conflicts}; checkpoints {stats.checkpoints}; "
            f"table holds {rows} rows")


@audit.command("sink")
@KAFKA
@AUDIT_TOPICS
@click.option("--duckdb", "duckdb_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("afterguard-audit.duckdb"), show_default=True)
@click.option("--parquet-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("afterguard-audit-parquet"), show_default=True)
@click.option("--postgres", "postgres_url", default=None,
              help="Load into PostgreSQL at this URL instead of DuckDB.")
@click.option("--group", default="afterguard-audit-sink", show_default=True)
@click.option("--replay", is_flag=True, help="Read the topic again from the beginning.")
@click.option("--stop-at-end", is_flag=True, help="Exit once caught up with the topic.")
@CHECKPOINT_TOPIC
@checkpoint_cadence
@click.option("--no-checkpoints", is_flag=True, help="Sign no checkpoints.")
def sink_command(kafka: KafkaConnection, topic: str, duckdb_path: Path, parquet_dir: Path,
                 postgres_url: str | None, group: str, replay: bool, stop_at_end: bool,
                 checkpoint_topic: str, checkpoint_every: int, checkpoint_seconds: float,
                 no_checkpoints: bool) -> None:
    """Load the audit topics into a warehouse table, idempotent by event_id, each chain
    verified first; sign checkpoints of the verified heads (key: AFTERGUARD_SIGNING_KEY_FILE,
    service `audit`)."""
    from streams.audit.sink_runner import CheckpointSettings, run_sink
    from streams.config import ConfigError, load_settings
    from streams.logs import configure_logging

    try:
        settings = load_settings()
        # before anything that logs (the trusted keys' warning): one JSON event per line
        configure_logging(settings.log_format, "audit-sink", settings.worker_id)
        checkpoints = None if no_checkpoints else CheckpointSettings(
            checkpoint_topic, settings.signer("audit").key, checkpoint_every,
            checkpoint_seconds)
        signatures = settings.audit_signatures()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    stats, rows = asyncio.run(run_sink(require_connection(kafka), topic, group, duckdb_path,
                                       parquet_dir, postgres_url, replay, stop_at_end,
                                       checkpoints, signatures))
    click.echo(sink_summary(stats, rows))
    if stats.conflicts:
        click.echo(f"ALERT: {stats.conflicts} audit chain problem(s); see table audit_conflicts",
                   err=True)


@audit.command("checkpoint")
@KAFKA
@AUDIT_TOPICS
@click.option("--group", default="afterguard-audit-checkpoint", show_default=True,
              help="Only its offsets' group (it resumes from its checkpoints).")
@click.option("--stop-at-end", is_flag=True, help="Exit once caught up with the topics.")
@CHECKPOINT_TOPIC
@checkpoint_cadence
def checkpoint_command(kafka: KafkaConnection, topic: str, group: str, stop_at_end: bool,
                       checkpoint_topic: str, checkpoint_every: int,
                       checkpoint_seconds: float) -> None:
    """Verify the audit chains and sign checkpoints of their heads, without a warehouse: for
    a deployment that runs no `audit sink` (key: AFTERGUARD_SIGNING_KEY_FILE, service
    `audit`). Its state is its own checkpoints; run one instance."""
    from streams.audit.checkpoint_service import run_checkpoints
    from streams.audit.sink_runner import CheckpointSettings
    from streams.config import ConfigError, load_settings
    from streams.logs import configure_logging

    try:
        settings = load_settings()
        configure_logging(settings.log_format, "audit-checkpoint", settings.worker_id)
        checkpoints = CheckpointSettings(checkpoint_topic, settings.signer("audit").key,
                                         checkpoint_every, checkpoint_seconds)
        signatures = settings.audit_signatures()
        trusted = settings.verifier().trusted
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    stats = asyncio.run(run_checkpoints(require_connection(kafka), topic, group, checkpoints,
                                        trusted, stop_at_end, signatures))
    click.echo(f"read {stats.read}; chain problems {stats.conflicts}; checkpoints "
               f"{stats.checkpoints}")
    if stats.conflicts:
        click.echo(f"ALERT: {stats.conflicts} audit chain problem(s); see the log", err=True)
