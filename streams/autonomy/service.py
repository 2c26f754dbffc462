"""`afterguard autonomy serve`: the autonomy scorer as its own faust app (`<app_id>-autonomy`).

Faust runs the process (signals, logging, SIGHUP); the work is one transactional loop
(streams/autonomy/scorer_loop.py): audit decisions and verdicts become events keyed by
(agent, action class) on `<app_id>-autonomy-events` (where the CLI's sign-offs go too); each
event is scored against the pair's state; the new state goes to the compacted state topic
`<app_id>-autonomy-state`, the pair's record to the compacted autonomy topic, and every level
change is sealed into the autonomy audit topic's hash chain, all with the input offsets in one
Kafka transaction. Run one instance: a second one fences the first.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import faust

from policies import load_policy
from streams.autonomy.reload import PolicyHolder
from streams.autonomy.scorer_loop import ScorerLoop
from streams.autonomy.scoring import autonomy_section
from streams.config import Settings
from streams.faust_lifecycle import PromptTableManager
from streams.metrics.autonomy import SCORE_LOOP, ScorerMetrics
from streams.metrics.health import EVENT_LOOP, Health
from streams.metrics.server import new_registry, serve_until_cancelled

log = logging.getLogger(__name__)


def scorer_app_id(settings: Settings) -> str:
    return f"{settings.app_id}-autonomy"


def events_topic(settings: Settings) -> str:
    """The scorer's repartition topic (also where `autonomy approve` sends sign-offs)."""
    return settings.autonomy_events_topic


def state_topic(settings: Settings) -> str:
    """Each pair's full scorer state (compacted), written in the scorer's transactions."""
    return settings.autonomy_state_topic


def create_autonomy_app(settings: Settings) -> faust.App:
    policy = load_policy(settings.policy_path)
    autonomy_section(policy)  # no autonomy section: stop at start, naming the file
    current = PolicyHolder(policy)
    datadir = settings.data_dir / "autonomy"
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        scorer_app_id(settings), **settings.kafka.faust_options(),
        web_enabled=False, datadir=str(datadir), store="memory://",
        # A killed scorer's group membership lapses after the session timeout (faust's own
        # default is 60 s), so a restarted one serves as soon as a restarted worker does.
        broker_session_timeout=settings.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.heartbeat_interval_ms / 1000,
        TableManager=PromptTableManager)  # no fixed wait at start (streams.faust_lifecycle)
    # Ready once the pairs' states are read and the partitions assigned; live while the event
    # loop and the scoring loop turn (docs/operations.md)
    health = Health(settings.liveness_stall_s, ("policy loaded", "state recovered",
                                                "partitions assigned"),
                    loops=(EVENT_LOOP, SCORE_LOOP))
    health.met("policy loaded")
    registry = new_registry()
    t = settings.topics
    scorer = ScorerLoop(settings, scorer_app_id(settings), events_topic(settings),
                        state_topic(settings), current)
    scorer.observer = ScorerMetrics(registry, health, scorer.states,
                                    [t.audit, t.verdicts, events_topic(settings)])

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def serve_metrics() -> None:
        await serve_until_cancelled(settings, "autonomy", registry, health)

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def score() -> None:
        await scorer.run(lambda: bool(app.should_stop))

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def reload_on_sighup() -> None:
        """`kill -HUP <scorer>` reloads the policy between batches."""
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, current.reload,
                                                      settings.policy_path)

    log.info("autonomy scorer: policy %s, events %s, levels %s", policy.snapshot,
             events_topic(settings), settings.topics.autonomy)
    return app
