"""`afterguard audit`: verify, export and sink the audit topic."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import click

from streams.audit.topic_io import read_all
from streams.audit.verify import Entry, PartitionReport, verify
from streams.kafka_cli import KAFKA, require_connection
from streams.kafka_connection import KafkaConnection

TOPIC = click.option("--topic", envvar="AFTERGUARD_TOPIC_AUDIT", default="afterguard.audit",
                     show_default=True, help="The audit topic (env AFTERGUARD_TOPIC_AUDIT).")


@click.group()
def audit() -> None:
    """The tamper-evident audit trail: verify it, export it, load it into a warehouse."""


@audit.command("verify")
@KAFKA
@TOPIC
@click.option("--file", "export", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Verify an export (JSON Lines, one audit record a line) instead of a topic.")
def verify_command(kafka: KafkaConnection, topic: str, export: Path | None) -> None:
    """Check every partition's hash chain; exit 1 on any gap, reordering, edit or broken link."""
    if export is not None:
        lines = export.read_bytes().splitlines()
        entries = [Entry(None, n, line) for n, line in enumerate(lines, start=1) if line.strip()]
        where = "line"
    else:
        entries = asyncio.run(read_all(require_connection(kafka), topic))
        where = "offset"
    reports = verify(entries)
    for report in reports.values():
        _print(report, where)
    problems = sum(len(r.problems) for r in reports.values())
    checked = sum(r.checked for r in reports.values())
    if problems:
        click.echo(f"FAILED: {problems} problem(s) in {checked} records", err=True)
        sys.exit(1)
    click.echo(f"OK: {checked} records in {len(reports)} partition(s), every chain intact")


def _print(report: PartitionReport, where: str) -> None:
    status = "ok" if not report.problems else f"{len(report.problems)} problem(s)"
    click.echo(f"partition {report.partition}: {report.checked} records checked, "
               f"last seq {report.last_seq}, {status}")
    for problem in report.problems:
        click.echo(f"  {problem.kind} at {where} {problem.position}: {problem.detail}")
    if report.duplicates:
        click.echo(f"  {len(report.duplicates)} duplicate event(s), re-emitted after a restart "
                   f"or retry (not tampering): first at {where} {report.duplicates[0][0]}")


@audit.command("export")
@KAFKA
@TOPIC
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_command(kafka: KafkaConnection, topic: str, out: Path) -> None:
    """Write the audit topic to a JSON Lines file, partition by partition in log order."""
    entries = asyncio.run(read_all(require_connection(kafka), topic))
    out.write_bytes(b"".join(e.value + b"\n" for e in entries))
    click.echo(f"{len(entries)} records written to {out}")


@audit.command("sink")
@KAFKA
@click.option("--topic", envvar="AFTERGUARD_TOPIC_AUDIT", default="afterguard.audit",
              show_default=True,
              help="Audit topics, comma-separated: e.g. afterguard.audit,afterguard.audit.review,"
                   "afterguard.audit.autonomy to load verdicts and autonomy changes too.")
@click.option("--duckdb", "duckdb_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("afterguard-audit.duckdb"), show_default=True)
@click.option("--parquet-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("afterguard-audit-parquet"), show_default=True)
@click.option("--postgres", "postgres_url", default=None,
              help="Load into PostgreSQL at this URL instead of DuckDB.")
@click.option("--group", default="afterguard-audit-sink", show_default=True)
@click.option("--replay", is_flag=True, help="Read the topic again from the beginning.")
@click.option("--stop-at-end", is_flag=True, help="Exit once caught up with the topic.")
def sink_command(kafka: KafkaConnection, topic: str, duckdb_path: Path, parquet_dir: Path,
                 postgres_url: str | None, group: str, replay: bool, stop_at_end: bool) -> None:
    """Load the audit topic into a warehouse table, idempotent by event_id."""
    from streams.audit.sink_runner import run_sink

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stats, rows = asyncio.run(run_sink(require_connection(kafka), topic, group, duckdb_path, parquet_dir,
                                       postgres_url, replay, stop_at_end))
    click.echo(f"read {stats.read}, inserted {stats.inserted}, skipped {stats.skipped}; "
               f"table holds {rows} rows")
