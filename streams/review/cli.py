"""`afterguard review`: run the review queue service, and talk to it as a reviewer."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import click

from streams.review.cli_tokens import token_commands
from streams.review.client import ReviewApiError, ReviewClient
from streams.review.visible_text import visible, visible_json


def _url(function: Any) -> Any:
    """--url, and where the reviewer's token comes from: a file or the environment, never
    the command line (where other users of the machine can read it)."""
    for option in reversed([
        click.option("--url", envvar="AFTERGUARD_REVIEW_URL", default="http://127.0.0.1:6067",
                     show_default=True, help="The review service (env AFTERGUARD_REVIEW_URL)."),
        click.option("--token-file", envvar="AFTERGUARD_REVIEW_TOKEN_FILE",
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A file holding your API token or OIDC token (env "
                          "AFTERGUARD_REVIEW_TOKEN_FILE; or put the token itself in "
                          "AFTERGUARD_REVIEW_TOKEN)."),
        click.option("--ca-file", envvar="AFTERGUARD_REVIEW_CA_FILE",
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="CA certificate of a service served over TLS "
                          "(env AFTERGUARD_REVIEW_CA_FILE)."),
    ]):
        function = option(function)
    return function


URL = _url


def _client(url: str, token_file: Path | None, ca_file: Path | None) -> ReviewClient:
    token = os.environ.get("AFTERGUARD_REVIEW_TOKEN", "").strip() or None
    if token_file is not None:
        token = token_file.read_text().strip() or None
    if token is None:
        raise click.UsageError("no reviewer token: set AFTERGUARD_REVIEW_TOKEN_FILE (a file "
                               "holding it) or AFTERGUARD_REVIEW_TOKEN; `afterguard review "
                               "token create` makes API tokens")
    return ReviewClient(url, token, ca_file=ca_file)


def _client_call(client: ReviewClient, call: str, *args: Any, **kwargs: Any) -> Any:
    try:
        return getattr(client, call)(*args, **kwargs)
    except ReviewApiError as exc:
        prefix = "refused" if exc.status == 409 else f"error {exc.status}" if exc.status else ""
        raise click.ClickException(visible(f"{prefix}: {exc}" if prefix else str(exc))) from None


@click.group()
def review() -> None:
    """The human review queue: pull items, give verdicts, watch the queue's SLOs."""


@review.command("serve")
@click.option("--loglevel", default="info", show_default=True)
def serve(loglevel: str) -> None:
    """Run the review queue service (HTTP on AFTERGUARD_REVIEW_HOST:AFTERGUARD_REVIEW_PORT,
    127.0.0.1:6067 by default)."""
    from policies import PolicyError
    from streams.config import ConfigError, load_settings
    from streams.faust_lifecycle import PromptWorker
    from streams.kafka_cli import require_connection
    from streams.logs import configure_logging, faust_logging
    from streams.review.service import create_review_app
    from streams.topic_plan import ensure_planned

    try:
        settings = load_settings()
        configure_logging(settings.log_format, "review", settings.worker_id, loglevel)
        app = create_review_app(settings)
    except (ConfigError, PolicyError) as exc:
        raise click.ClickException(str(exc)) from None
    require_connection(settings.kafka)
    t = settings.topics
    # Its audit topic always (one partition: the service writes one hash chain); with
    # AFTERGUARD_CREATE_TOPICS the topics it reads and writes, each as the plan says.
    asyncio.run(ensure_planned(settings.kafka, settings, [
        t.review_audit,
        *([t.review, t.quarantine, t.released, t.verdicts] if settings.create_topics else [])]))
    PromptWorker(app, loglevel=loglevel, quiet=True,
                 **faust_logging(settings.log_format, "review", settings.worker_id, loglevel)
                 ).execute_from_commandline()


@review.command("pull")
@URL
@click.option("--group", required=True, help="Your reviewer group.")
def pull(url: str, token_file: Path | None, ca_file: Path | None, group: str) -> None:
    """Claim the oldest open items of a group (up to the open-item limit), as the reviewer
    your token names; then list the items you already held, with when your claims expire."""
    client = _client(url, token_file, ca_file)
    result = _client_call(client, "pull", group)
    for entry in result["claimed"]:
        item = entry["item"]
        click.echo(visible(f"{entry['entry_id']}  {item['decision']:<10} {item['agent_id']} "
                           f"{item['action']}  rules: {', '.join(item['rule_ids']) or '-'}"
                           + ("  (second review)" if entry.get("second_review_of") else "")))
    new = {entry["entry_id"] for entry in result["claimed"]}
    earlier = [held for held in result["holding"] if held not in new]
    expires = None
    if earlier:
        rows = {row["entry_id"]: row for row in _client_call(client, "queue")["items"]
                if row.get("mine")}
        click.echo("you already hold (claimed earlier):")
        for entry_id in earlier:
            row = rows.get(entry_id)
            if row is None:  # decided or given back meanwhile
                click.echo(f"  {entry_id}")
                continue
            expires = expires or row.get("claim_expires_at")
            click.echo(visible(
                f"  {entry_id}  {row['decision']:<10} {row['agent_id']} {row['action']}  "
                f"rules: {', '.join(row['rule_ids']) or '-'}  group {row['group']}"
                + ("  (second review)" if row.get("second_review") else "")))
    click.echo(f"claimed {len(result['claimed'])}; you hold {len(result['holding'])} open")
    if expires is not None:
        click.echo(f"your claims expire at {expires} unless you show or decide an item before "
                   "(each of them renews all your claims); `afterguard review release ITEM` "
                   "gives one back")
    if result.get("note"):
        click.echo(visible(result["note"]))


@review.command("show")
@URL
@click.argument("item_id")
def show(url: str, token_file: Path | None, ca_file: Path | None, item_id: str) -> None:
    """Show an item as reviewers see it (values found are replaced by their entity type).
    Counts as activity: your claims stay yours."""
    click.echo(visible_json(_client_call(_client(url, token_file, ca_file), "show", item_id)))


@review.command("decide")
@URL
@click.argument("item_id")
@click.argument("verdict", type=click.Choice(["approve", "reject", "modify", "release_raw"]))
@click.option("--comment", default=None)
@click.option("--output", "output_file", type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path),
              help="For modify: a JSON file holding the edited output.")
@click.option("--severity", type=click.Choice(["none", "policy_violation", "safety_incident"]),
              default="none", show_default=True)
def decide(url: str, token_file: Path | None, ca_file: Path | None, item_id: str,
           verdict: str, comment: str | None, output_file: Path | None, severity: str) -> None:
    """Give a verdict on an item you claimed (you, as your token names you, are its
    approver); reject, modify and release_raw need a --comment. Approving a quarantined result releases the policy's redacted view of it;
    modify releases your edit once the policy accepts it; release_raw (only where the policy
    allows it) releases the output unredacted."""
    if (verdict == "modify") != (output_file is not None):
        raise click.UsageError("modify needs --output FILE.json, and only modify takes it")
    try:
        modified = json.loads(output_file.read_text()) if output_file else None
    except ValueError as exc:
        raise click.ClickException(f"{output_file}: not JSON ({exc})") from None
    result = _client_call(_client(url, token_file, ca_file), "decide", item_id, verdict,
                          comment=comment, modified_output=modified, severity=severity)
    click.echo(f"{result['verdict']['verdict_id']}: {verdict} recorded"
               + ("; quarantined result released" if result["released"] else "")
               + (f"; sampled for a second review ({result['second_review']})"
                  if result["second_review"] else ""))


@review.command("escalate")
@URL
@click.argument("item_id")
@click.option("--comment", required=True, help="Why the item needs the escalation group.")
def escalate(url: str, token_file: Path | None, ca_file: Path | None, item_id: str,
             comment: str) -> None:
    """Move an item you claimed to the policy's escalation group: its reviewers see where it
    came from, that you moved it, and why."""
    moved = _client_call(_client(url, token_file, ca_file), "escalate", item_id, comment)
    click.echo(f"escalated {item_id} to {moved['group']}")


@review.command("release")
@URL
@click.argument("item_id")
def release(url: str, token_file: Path | None, ca_file: Path | None, item_id: str) -> None:
    """Give back your claim on an item: it is open to your group again."""
    _client_call(_client(url, token_file, ca_file), "release", item_id)
    click.echo(f"released your claim on {item_id}")


@review.command("stats")
@URL
@click.option("--json", "as_json", is_flag=True)
def stats(url: str, token_file: Path | None, ca_file: Path | None, as_json: bool) -> None:
    """Waits per group against the targets, open items per reviewer, approval rate per rule."""
    from streams.review.stats_text import render

    result = _client_call(_client(url, token_file, ca_file), "stats")
    click.echo(json.dumps(result, indent=2) if as_json else render(result))


review.add_command(token_commands)
