"""`afterguard review serve`: the review queue as its own faust app (`<app_id>-review`).

It follows the review topic (items to queue) and the quarantine topic (results to hold until
a verdict), keeps the queue in single-partition faust tables (memory store, changelog
topics: the state survives a restart; with it the ended sign-ins and the entries the clock
holds back), serves reviewers over HTTP (on 127.0.0.1 unless
AFTERGUARD_REVIEW_HOST says otherwise), and ticks the queue's clock every AFTERGUARD_REVIEW_TICK_S seconds. Run one instance: the tables have one
partition, and the service is the only writer of the review audit topic's chain.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from typing import Any

import faust
from pydantic import ValidationError

from policies import load_policy
from policies.decision import Decision, SafetyDecision
from sampling.record import ReviewItem
from streams.config import ConfigError, Settings
from streams.faust_lifecycle import PromptTableManager
from streams.faust_topics import raw_topic, read_committed, track_table_changelogs
from streams.metrics.health import Health
from streams.metrics.review import ReviewMetrics
from streams.metrics.server import new_registry, serve_until_cancelled
from streams.review.agent_levels import AgentLevels
from streams.review.api import ReviewApi
from streams.review.auth.authenticator import Authenticator
from streams.review.auth.settings import load_auth_settings
from streams.review.auth.signed_out import SignedOut
from streams.review.claims import known_groups
from streams.review.committer import Committer
from streams.review.console.server import console_app
from streams.review.entry import QueueEntry, ReviewerState
from streams.review.http_server import BoundedHttpServer, HttpLimits
from streams.review.notify import Notifier, WebhookSettings
from streams.review.publisher import Publisher
from streams.review.queue import ReviewQueue
from streams.review.queue_timer import Escalation
from streams.review.release import HeldResult, Mismatch
from streams.review.reload import release_check, reload_queue_policy
from streams.review.replay import replay_verdicts
from streams.review.state import QueueState, Refusal
from streams.review.tables import ModelTable
from streams.review.web import api_app
from streams.signing import RecordKind
from streams.signing.gate import SignatureGate

log = logging.getLogger(__name__)
DECIDER = "afterguard-review"


def now() -> datetime:
    return datetime.now(UTC)


def create_review_app(settings: Settings) -> faust.App:
    policy = load_policy(settings.policy_path)
    review, routing = policy.policy.review, policy.policy.routing
    if review is None or routing is None:
        raise ConfigError(f"AFTERGUARD_POLICY: {policy.source} has no review or routing "
                          "section; the review queue needs both")
    auth = Authenticator(load_auth_settings(settings.review_host, settings.review_port))
    http_limits = HttpLimits.from_env()
    datadir = settings.data_dir / "review"
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.review_app_id, **settings.kafka.faust_options(),
        key_serializer="json", value_serializer="json", consumer_auto_offset_reset="earliest",
        producer_acks=-1, datadir=str(datadir), store="memory://",
        # A killed instance's group membership lapses after the session timeout (10 s by
        # default), so a restarted one serves soon.
        broker_session_timeout=settings.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.heartbeat_interval_ms / 1000,
        # faust's own web server is not started: its endpoints would serve the tables (held
        # quarantined outputs) raw, and it bounds no slow client. The API has its own
        # (serve_api below, streams/review/http_server.py).
        web_enabled=False,
        TableManager=PromptTableManager)  # no fixed wait at start (streams.faust_lifecycle)
    read_committed(app)  # review items and holds come in the worker's transactions

    def table(name: str) -> Any:
        return app.Table(name, partitions=1, use_partitioner=True)

    state = QueueState(ModelTable(table("review-entries"), QueueEntry),
                       ModelTable(table("review-reviewers"), ReviewerState),
                       ModelTable(table("review-held"), HeldResult))
    # Ended sign-ins and the entries the clock holds back survive a restart with the queue.
    auth.signed_out = SignedOut(store=table("review-signed-out"),
                                written=lambda: app.producer.flush())
    held_back = table("review-held-back")
    track_table_changelogs(app)  # the tables above write through the producer's metadata
    key = settings.hash_key()
    queue = ReviewQueue(state, review, routing, key, DECIDER, release_check(policy, key))
    publisher = Publisher(settings)
    committer = Committer(queue, publisher, held_back)
    replayed = asyncio.Event()
    # Metrics and health (docs/operations.md): ready once the tables are recovered and the
    # committed verdicts replayed; live while the event loop turns.
    health = Health(settings.liveness_stall_s, ("policy loaded", "state recovered"))
    health.met("policy loaded")
    registry = new_registry()
    metrics = ReviewMetrics(registry, queue, known_groups(routing),
                            (settings.topics.review, settings.topics.quarantine))
    committer.on_verdicts = metrics.verdicts_committed

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def serve_metrics() -> None:
        await serve_until_cancelled(settings, "review", registry, health,
                                    lambda: metrics.update() if replayed.is_set() else None)

    def ready() -> bool:
        return replayed.is_set()

    webhook = WebhookSettings.from_env()
    notifier = Notifier(webhook, queue) if webhook is not None else None
    if notifier is not None:
        app.task(notifier.run)
    levels = AgentLevels(settings.kafka, settings.topics.autonomy, policy.policy.autonomy,
                         settings.verifier(), policy.policy.trust)
    app.task(levels.run)
    def escalated(escalation: Escalation) -> None:
        log.info("escalated %s from %s to %s (%s, by %s)", escalation.entry.entry_id,
                 escalation.from_group, escalation.entry.group, escalation.reason,
                 escalation.by)
        if notifier is not None:
            notifier.escalated(escalation)

    api = ReviewApi(queue, committer, auth, ready, now, autonomy_of=levels.of,
                    on_escalated=escalated, body_timeout_s=http_limits.client_timeout_s)
    api_server = BoundedHttpServer(api_app(api), settings.review_host, settings.review_port,
                                   auth.settings.ssl_context(), http_limits, "API")

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def serve_api() -> None:
        try:
            await api_server.start()
        except OSError as exc:  # reviewers cannot reach the queue: the service stops
            log.error("AFTERGUARD_REVIEW_HOST/AFTERGUARD_REVIEW_PORT: the review API cannot "
                      "listen on %s:%d (%s)", settings.review_host, settings.review_port,
                      exc.strerror)
            raise

    if auth.settings.console_port is not None:
        console = BoundedHttpServer(console_app(api), settings.review_host,
                                    auth.settings.console_port, auth.settings.ssl_context(),
                                    http_limits, "console")

        @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
        async def serve_console() -> None:
            try:
                await console.start()
            except OSError as exc:  # the API keeps serving reviewers (the CLI) without it
                log.error("AFTERGUARD_REVIEW_CONSOLE_PORT: the review console cannot listen on "
                          "%s:%s (%s); the API still serves on port %d", settings.review_host,
                          auth.settings.console_port, exc.strerror, settings.review_port)
                return
            log.info("review console on %s://%s:%d/", auth.settings.scheme,
                     settings.review_host, auth.settings.console_port)
    t = settings.topics

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def catch_up() -> None:
        """Before serving: fence an earlier instance's producer (its open transaction aborts),
        let the tables recover, then apply committed verdicts the tables do not show yet."""
        await publisher.start()
        recovery = app.tables.recovery  # type: ignore[attr-defined]  # TableManagerT omits it
        await recovery.completed.wait()
        async with committer.lock:
            await replay_verdicts(state, settings.kafka, t.verdicts, gate.verifier)
        replayed.set()
        health.met("state recovered")
        log.info("review queue ready: %d entries", len(state.entries))

    deadletters = raw_topic(app, t.deadletter)  # of records whose signature fails
    gate = SignatureGate(settings.verifier(), settings.worker_id,
                         lambda key, value: deadletters.send(key=key, value=value),
                         settings.deadletter_key(), metrics.refused)

    @app.agent(raw_topic(app, t.review), name="afterguard.review.enqueue")
    async def enqueue(stream: Any) -> None:
        async for event in stream.events():
            if not await gate.admits(RecordKind.REVIEW_ITEM, event.message):
                continue
            value = event.value
            try:
                item = ReviewItem.model_validate_json(value)
            except ValidationError as exc:
                log.warning("skipped a review record that is not a review item "
                            "(%d problem(s))", exc.error_count())
                continue
            queued = queue.enqueue(item)
            if isinstance(queued, Refusal):
                log.error("refused review item %s: %s", item.item_id, queued.message)
            elif queued:
                log.info("queued %s for group %s", item.item_id, item.sampling.reviewer_group)
                metrics.item_queued(item.sampling.reviewer_group)
                if notifier is not None:
                    notifier.item_queued(item)

    @app.agent(raw_topic(app, t.quarantine), name="afterguard.review.hold")
    async def hold(stream: Any) -> None:
        async for event in stream.events():
            if not await gate.admits(RecordKind.QUARANTINE_HOLD, event.message):
                continue
            value = event.value
            try:
                decision = SafetyDecision.model_validate_json(value)
            except ValidationError as exc:
                log.warning("skipped a quarantine record that is not a safety decision "
                            "(%d problem(s))", exc.error_count())
                continue
            if decision.decision is not Decision.QUARANTINE:
                continue
            held = queue.hold(decision)
            if isinstance(held, Refusal):
                log.error("refused to hold a quarantined result of job %s: %s; it stays "
                          "unreleased", decision.job_id, held.message)
            elif isinstance(held, Mismatch):
                log.error("quarantine record for %s does not match the result held there "
                          "(job_hash %s, held %s); nothing changed", held.source.key,
                          held.other_hash, held.held_hash)

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def reload_on_sighup() -> None:
        """`kill -HUP <review service>` reloads the queue policy between requests, and lets
        the clock try the entries it held back again."""
        def reload() -> None:
            reload_queue_policy(queue, settings.policy_path)
            committer.retry_held_back()

        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload)

    @app.timer(settings.review_tick_s)  # type: ignore[untyped-decorator]  # faust's timer decorator
    async def tick() -> None:
        if not ready():
            return
        ticked = await committer.tick(now())
        if ticked is None:
            return
        for entry_id, reviewer in ticked.expired_claims:
            log.info("claim of %s on %s expired", reviewer, entry_id)
        for escalation in ticked.escalations:
            escalated(escalation)
        if notifier is not None:
            notifier.check_waits(list(queue.state.undecided()), now())

    log.info("review queue: policy %s, %s on %s:%d; reviewers sign in with API tokens (%s)%s",
             policy.snapshot, auth.settings.scheme.upper(), settings.review_host,
             settings.review_port, auth.settings.tokens_file,
             f" or OIDC tokens of {auth.settings.oidc_issuer}" if auth.oidc else "")
    return app
