"""The `afterguard` command."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

import click

from detectors.coverage import NER_ENTITY_TYPES
from policies import PolicyError, load_policy
from streams import broker
from streams.audit.cli import audit
from streams.autonomy.cli import autonomy
from streams.config import ConfigError, load_settings
from streams.deadletter.cli import deadletter
from streams.kafka_cli import CommandGroup, kafka, require_connection
from streams.review.cli import review
from streams.sampling_cli import sampling
from streams.signing.cli import keys
from streams.topic_plan import ensure_planned
from streams.topic_schemas import schemas_command


@click.group(cls=CommandGroup)
def main() -> None:
    """Afterguard: post-execution safety and audit stream for AI agents."""


@main.command()
@click.option("--loglevel", default="info", show_default=True)
def worker(loglevel: str) -> None:
    """Run a worker: consume action results, decide, produce decisions and audit records."""
    from streams.logs import configure_logging
    from streams.worker.app import Worker
    from streams.worker.collector import settle_after_start
    from streams.worker.repeated_logs import limit_repeated_warnings

    try:
        settings = load_settings()
        # text, or one JSON event per line (AFTERGUARD_LOG_FORMAT=json; docs/operations.md)
        configure_logging(settings.log_format, "worker", settings.worker_id, loglevel)
        worker = Worker(settings)
    except (ConfigError, PolicyError) as exc:
        raise click.ClickException(str(exc)) from None
    limit_repeated_warnings(settings.log_repeat_interval_s,
                            ("aiokafka", "streams.worker", "streams.compacted"))
    require_connection(settings.kafka)
    # Its state topics and the autonomy levels it follows always; with AFTERGUARD_CREATE_TOPICS
    # every topic up front (so the subscription sees them at once), each as the plan says.
    asyncio.run(ensure_planned(settings.kafka, settings, [
        settings.topics.autonomy, settings.first_seen_topic, settings.job_ids_topic,
        *(settings.all_topics() if settings.create_topics else [])]))
    settle_after_start()  # what start-up loaded stays out of the collector's way
    asyncio.run(worker.run())


@main.command()
@click.option("--count", default=300, show_default=True, help="Action results to publish.")
@click.option("--keep-broker", is_flag=True, help="Leave the local broker running afterwards.")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for decisions.")
def demo(count: int, keep_broker: bool, timeout: float) -> None:
    """Run the whole pipeline on a demo stream through a local broker and show the decisions."""
    from streams.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    try:
        sys.exit(run_demo(count, keep_broker, timeout))
    except (ConfigError, PolicyError, broker.BrokerError) as exc:
        raise click.ClickException(str(exc)) from None


@main.group()
def policy() -> None:
    """Validate and explain policy files."""


@policy.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def policy_check(file: Path) -> None:
    """Validate a policy file and print its snapshot id; errors name the file, line and field."""
    try:
        loaded = load_policy(file)
    except PolicyError as exc:
        raise click.ClickException(f"invalid policy\n{exc}") from None
    p = loaded.policy
    entities = p.scanned_entities()
    click.echo(f"{file}: valid, snapshot {loaded.snapshot}")
    bindings = len(p.trust.bindings) if p.trust else 0
    click.echo(f"  {len(p.rules)} rules, {len(p.field_rules)} field rules, {bindings} trust "
               f"bindings; default "
               f"{p.defaults.decision.value}; scans "
               + ("every entity type" if entities is None else ", ".join(sorted(entities))))
    detection = p.detection
    if entities is None or entities & NER_ENTITY_TYPES:
        click.echo(f"  NER reads: {detection.ner_reads()} (detection.ner_coverage"
                   f"{'' if detection.ner_coverage else ', the default'})")
    if detection.allow or detection.deny or detection.patterns:
        click.echo(f"  allow lists: {', '.join(a.id for a in detection.allow) or '-'}; "
                   f"deny lists: {', '.join(f'{d.id} ({d.entity})' for d in detection.deny) or '-'};"
                   f" custom patterns: "
                   + (", ".join(f"{c.id} ({c.entity})" for c in detection.patterns) or "-"))


@policy.command("explain")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--result", "result_file", required=True, type=click.Path(path_type=Path),
              help="A JSON file holding one action result.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--topic", default=None,
              help="The input topic the result came from (selects the policy's trust bindings).")
def policy_explain(file: Path, result_file: Path, as_json: bool, topic: str | None) -> None:
    """Show the findings (never their values), matching rules, decision and redacted output."""
    from policies.explain import explain, render
    from streams.policy_tools import read_result
    from streams.worker.policy_reload import engine_for
    from streams.worker.value_count import output_values

    try:
        loaded = load_policy(file)
        raw, result = read_result(result_file, loaded.policy.limits)
        key = load_settings().hash_key()
    except (PolicyError, ConfigError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    limit = loaded.policy.limits.max_values
    values = output_values(raw, result.output, limit)  # over it: not scanned, as in the worker
    findings = [] if values > limit else engine_for(loaded).scan(result.output, result.tenant)
    explanation = explain(result, findings, loaded, key, len(raw), topic, values)
    click.echo(json.dumps(explanation.as_dict(), indent=2, ensure_ascii=False) if as_json
               else render(explanation))


@main.command()
@click.option("--policy", "policy_file", required=True, type=click.Path(path_type=Path))
@click.argument("input_file", type=click.File("rb"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write the decisions as JSON Lines (default: stdout).")
@click.option("--topic", default="file", show_default=True,
              help="The input topic the results came from (selects the policy's trust bindings).")
def scan(policy_file: Path, input_file: BinaryIO, output: TextIO, topic: str) -> None:
    """Decide every action result in a JSON Lines file (one per line), as the worker would.

    Every valid line's decision goes out as JSON Lines, whatever the other lines hold; bad lines
    (not UTF-8, not JSON, over the policy's limits, missing fields) are reported on stderr with
    their line number and reason, then a summary. Exit status: 0 when every line was decided, 1
    when any line was bad (its neighbours are still decided), 2 for a usage error or a policy
    or configuration that cannot be loaded."""
    from streams.scan_file import ScanSummary, scan_lines
    from streams.worker.policy_reload import engine_for

    try:
        loaded = load_policy(policy_file)
        key = load_settings().hash_key()
    except (PolicyError, ConfigError) as exc:
        unusable = click.ClickException(str(exc))
        unusable.exit_code = 2  # nothing was scanned; 1 means some lines were bad
        raise unusable from None
    summary = ScanSummary()
    decisions = scan_lines(input_file, loaded, engine_for(loaded), key, summary, topic=topic)
    output.writelines(json.dumps(decision, ensure_ascii=False) + "\n" for decision in decisions)
    for number, reason in summary.bad_lines:
        click.echo(f"{input_file.name}:{number}: {reason}", err=True)
    click.echo(f"{summary.line()} under {loaded.snapshot}", err=True)
    if summary.bad_lines:
        sys.exit(1)


main.add_command(audit)
main.add_command(kafka)
main.add_command(autonomy)
main.add_command(schemas_command)
main.add_command(sampling)
main.add_command(review)
main.add_command(deadletter)
main.add_command(keys)

if __name__ == "__main__":
    main()
