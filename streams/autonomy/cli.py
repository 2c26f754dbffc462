"""`afterguard autonomy`: run the scorer, show levels and evidence, sign off a promotion."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime

import click

from policies import PolicyError, load_policy
from streams.config import ConfigError, Settings, load_settings


def _settings() -> Settings:
    """The settings, with the Kafka connection checked (a refused login names the setting)."""
    from streams.kafka_cli import require_connection

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    require_connection(settings.kafka)
    return settings


@click.group()
def autonomy() -> None:
    """Autonomy levels per verified identity and action class, earned from review outcomes.

    An identity is `identity:<id>` (a trust.identities entry that names the results' topic) or
    `topic:<topic>` (no entry names it): never the agent id a result claims."""


@autonomy.command("serve")
@click.option("--loglevel", default="info", show_default=True)
def serve(loglevel: str) -> None:
    """Run the autonomy scorer (audit + verdicts in, the compacted autonomy topic out)."""
    from streams.autonomy.service import create_autonomy_app
    from streams.faust_lifecycle import PromptWorker
    from streams.logs import configure_logging, faust_logging
    from streams.topic_plan import ensure_planned

    settings = _settings()
    configure_logging(settings.log_format, "autonomy", settings.worker_id, loglevel)
    try:
        app = create_autonomy_app(settings)
    except (ConfigError, PolicyError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    t = settings.topics
    # Its own topics always; with AFTERGUARD_CREATE_TOPICS the ones it reads, as planned.
    asyncio.run(ensure_planned(settings.kafka, settings, [
        t.autonomy, settings.autonomy_state_topic, settings.autonomy_events_topic,
        t.autonomy_audit, *([t.audit, t.verdicts] if settings.create_topics else [])]))
    PromptWorker(app, loglevel=loglevel, quiet=True,
                 **faust_logging(settings.log_format, "autonomy", settings.worker_id, loglevel)
                 ).execute_from_commandline()


@autonomy.command("show")
@click.argument("who", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON Lines.")
def show(who: str | None, as_json: bool) -> None:
    """Print the current level and evidence of every (identity, action class), or of WHO's:
    an identity (`identity:<id>`, `topic:<topic>`), or an agent id its results claimed (a
    label: it lists every identity whose evidence claimed that id)."""
    from streams.autonomy.control import current_records
    from streams.autonomy.render import render

    settings = _settings()
    try:
        autonomy = load_policy(settings.policy_path).policy.autonomy
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        verifier = settings.verifier()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    records = asyncio.run(current_records(settings.kafka, settings.topics.autonomy, verifier))
    chosen = sorted((r for r in records.values()
                     if who is None or r.identity == who or who in r.agent_ids),
                    key=lambda r: (r.identity, r.action_class))
    if not chosen:
        raise click.ClickException(f"no autonomy record for {who or 'any identity'} on "
                                   f"{settings.topics.autonomy}")
    for record in chosen:
        if as_json:
            click.echo(record.model_dump_json())
        else:
            click.echo("\n".join(render(record, autonomy)))


@autonomy.command("approve")
@click.argument("identity")
@click.option("--action-class", "action_class", required=True,
              help="The action class (the action without its last segment).")
@click.option("--level", type=click.IntRange(0, 3), required=True)
@click.option("--reviewer", default=None, hidden=True)  # gone: refused with the reason
@click.option("--comment", default=None)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for the scorer.")
def approve(identity: str, action_class: str, level: int, reviewer: str | None,
            comment: str | None, timeout: float) -> None:
    """Sign off IDENTITY's pending promotion to LEVEL (or lower the level). IDENTITY is the
    verified identity the level is kept for, as `show` prints it (`identity:<id>` or
    `topic:<topic>`), never an agent id a result claims. Recorded as an
    autonomy_change audit event whose approver is your operator signing key
    (AFTERGUARD_SIGNING_KEY_FILE), as `operator:<key id>`: the scorer accepts a sign-off only
    from a trusted operator key, naming that key."""
    from sampling.autonomy import SignOff
    from streams.autonomy.control import current_records, send_signoff
    from streams.autonomy.events import pair_key
    from streams.autonomy.service import events_topic
    from streams.autonomy.signoff_identity import operator_id

    settings = _settings()
    try:
        signer, verifier = settings.signer("operator"), settings.verifier()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    approver = operator_id(signer.key.key_id)
    if reviewer is not None:
        raise click.UsageError(f"--reviewer is no longer taken: the approver is the operator "
                               f"key that signs the sign-off ({approver}, from "
                               "AFTERGUARD_SIGNING_KEY_FILE), never a typed name")
    t = settings.topics
    records = asyncio.run(current_records(settings.kafka, t.autonomy, verifier))
    record = records.get(pair_key(identity, action_class))
    if record is None:
        claimed = sorted({r.identity for r in records.values() if identity in r.agent_ids
                          and r.action_class == action_class})
        hint = (f"; levels are kept per verified identity, and results claiming {identity} "
                f"came from: {', '.join(claimed)}" if claimed else "")
        raise click.ClickException(f"no autonomy record for {identity} / {action_class}{hint}")
    if level > record.level and (record.pending is None or record.pending.to_level != level):
        pending = "none" if record.pending is None else f"level {record.pending.to_level}"
        outlook = record.promotion
        more = ("" if outlook is None or outlook.clean_reviews_needed is None
                else f"; level {outlook.to_level} needs {outlook.clean_reviews_needed} more "
                     "clean reviews")
        raise click.ClickException(f"refused: no pending proposal for level {level} "
                                   f"(pending: {pending}{more})")
    signoff = SignOff(signoff_id=f"so-{uuid.uuid4().hex[:20]}", identity=identity,
                      action_class=action_class, level=level, reviewer=approver,
                      comment=comment, requested_at=datetime.now(UTC))
    click.echo(f"sign-off {signoff.signoff_id}: sending it to {events_topic(settings)}, then "
               f"waiting up to {timeout:g}s for the autonomy scorer (`afterguard autonomy "
               f"serve`) to apply or refuse it; its answer comes on {t.autonomy} (--timeout)",
               err=True)
    answer = asyncio.run(send_signoff(settings.kafka, events_topic(settings),
                                      t.autonomy, signoff, timeout, signer, verifier))
    if answer is None:
        raise click.ClickException(f"sign-off {signoff.signoff_id} sent, but the scorer did not "
                                   f"answer within {timeout:g}s (is `afterguard autonomy serve` "
                                   "running?)")
    if not answer.accepted:
        raise click.ClickException(f"refused: {answer.reason}")
    click.echo(json.dumps({"identity": identity, "action_class": action_class, "level": level,
                           "signoff_id": signoff.signoff_id, "approver_id": approver,
                           "result": answer.reason}))
    click.echo(f"{identity} / {action_class}: level {level} effective ({answer.reason}, signed off "
               f"by {approver}; recorded on {t.autonomy_audit})")
