"""`afterguard autonomy serve`: the autonomy scorer as its own faust app (`<app_id>-autonomy`).

Stage 1 reads the audit topic (decisions, counted per pair and batch) and the verdicts topic,
and forwards events keyed by (agent, action class) to `<app_id>-autonomy-events`; the CLI's
sign-offs go to the same topic. Stage 2 owns the pairs of its partitions: their state is a faust
table (memory store, changelog topic: it survives a restart), every new state is published to
the compacted autonomy topic, and every level change is sealed into the autonomy audit topic's
hash chain (audit partition = events partition mod audit partitions, so each audit partition
has one writer, the scorer instance that owns the events partition).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from typing import Any

import faust

from policies import load_policy
from sampling.autonomy import AutonomyState
from streams.audit.evidence import evidence_problems, rejected_audit_letter
from streams.audit.keeper import ChainKeeper
from streams.autonomy.events import EVENT, from_audit, from_verdict, pair_of
from streams.autonomy.reload import PolicyHolder
from streams.autonomy.scoring import autonomy_section, score
from streams.config import Settings
from streams.faust_topics import raw_topic
from streams.records import SourceRef

log = logging.getLogger(__name__)


def scorer_app_id(settings: Settings) -> str:
    return f"{settings.app_id}-autonomy"


def events_topic(settings: Settings) -> str:
    """The scorer's repartition topic (also where `autonomy approve` sends sign-offs)."""
    return f"{settings.app_id}-autonomy-events"


def create_autonomy_app(settings: Settings) -> faust.App:
    policy = load_policy(settings.policy_path)
    autonomy_section(policy)  # no autonomy section: stop at start, naming the file
    current = PolicyHolder(policy)
    datadir = settings.data_dir / "autonomy"
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        scorer_app_id(settings), **settings.kafka.faust_options(),
        key_serializer="json", value_serializer="json", consumer_auto_offset_reset="earliest",
        producer_acks=-1, web_enabled=False, datadir=str(datadir), store="memory://",
        topic_partitions=settings.topic_partitions)
    t = settings.topics


    events, levels = raw_topic(app, events_topic(settings)), raw_topic(app, t.autonomy)
    audit, deadletter = raw_topic(app, t.autonomy_audit), raw_topic(app, t.deadletter)
    states = app.Table("autonomy-state", partitions=settings.topic_partitions)
    keeper = ChainKeeper(settings.kafka, t.autonomy_audit, [events_topic(settings)])

    @app.on_partitions_revoked.connect
    async def forget_audit_chain(_app: Any, /, *_: Any, **__: Any) -> None:
        keeper.forget()  # another instance may own these events partitions now

    @app.agent(raw_topic(app, t.audit), name="afterguard.autonomy.decisions")
    async def decisions(stream: Any) -> None:
        async for values in stream.take(settings.batch_size, settings.batch_within_s):
            classes = autonomy_section(current.policy).action_classes
            for seen in from_audit(values, classes):
                await events.send(key=pair_of(seen, classes).encode(),
                                  value=seen.model_dump_json().encode())

    @app.agent(raw_topic(app, t.verdicts), name="afterguard.autonomy.verdicts")
    async def verdicts(stream: Any) -> None:
        async for value in stream:
            seen = from_verdict(value)
            if seen is not None:
                classes = autonomy_section(current.policy).action_classes
                await events.send(key=pair_of(seen, classes).encode(),
                                  value=seen.model_dump_json().encode())

    @app.agent(events, name="afterguard.autonomy.score")
    async def scorer(stream: Any) -> None:
        async for event in stream.events():  # one at a time: table writes follow the event
            message = event.message
            try:
                scorer_event = EVENT.validate_json(event.value)
            except ValueError:
                log.warning("skipped an autonomy event that does not parse (offset %d)",
                            message.offset)
                continue
            key = pair_of(scorer_event, autonomy_section(current.policy).action_classes)
            stored = states.get(key)
            state = None if stored is None else AutonomyState.model_validate(stored)
            source = SourceRef(topic=message.topic, partition=message.partition,
                               offset=message.offset)
            scored = score(state, scorer_event, current.policy, settings.worker_id, source,
                           datetime.now(UTC))
            states[key] = scored.state.model_dump(mode="json")
            await levels.send(key=key.encode(),
                              value=scored.state.record().model_dump_json().encode())
            if scored.audit is not None:
                problems = evidence_problems(scored.audit)
                if problems:  # a bug, not input: the change stands, the record is a dead letter
                    log.error("autonomy audit record %s rejected by the evidence contract: %s",
                              scored.audit.event_id, "; ".join(problems))
                    letter = rejected_audit_letter(scored.audit, problems, settings.worker_id,
                                                   datetime.now(UTC), source, key.encode())
                    await deadletter.send(key=key.encode(),
                                          value=letter.model_dump_json().encode())
                    continue
                chain = await keeper.chain_for([message.partition])
                sealed = chain.seal(scored.audit, message.partition)
                await audit.send(key=key.encode(), value=sealed.value, partition=sealed.partition)
                change = scored.audit.payload
                log.info("autonomy of %s: level %s -> %s (%s)", key.replace("\x1f", " / "),
                         getattr(change, "from_level", "?"), getattr(change, "to_level", "?"),
                         getattr(change, "trigger", "?"))

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def reload_on_sighup() -> None:
        """`kill -HUP <scorer>` reloads the policy between events."""
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, current.reload,
                                                      settings.policy_path)

    log.info("autonomy scorer: policy %s, events %s, levels %s", policy.snapshot,
             events_topic(settings), t.autonomy)
    return app
