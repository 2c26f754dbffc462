"""The faust app: thin agents that decode, call the pure pipeline, and produce."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from typing import Any

import faust

from policies import load_policy
from streams.audit.keeper import ChainKeeper
from streams.autonomy.levels import AutonomyLevels
from streams.worker.codec import RawRecord
from streams.compacted import CompactedFollower
from streams.config import Settings
from streams.faust_topics import raw_topic
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds
from streams.kafka_admin import partition_counts
from streams.worker.keys import SamplingKeys
from streams.worker.pipeline import Pipeline
from streams.worker.policy_reload import PolicyReloader, engine_for
from streams.worker.review_stage import ReviewStage

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> faust.App:
    """A faust app wired to the configured topics; policy and detectors are loaded once here."""
    policy = load_policy(settings.policy_path)
    keys = SamplingKeys()
    keys.check(policy)  # a missing sampling key stops the worker at start, naming the variable
    app = faust.App(
        settings.app_id,
        **settings.kafka.faust_options(),
        key_serializer="json",  # tables; the topics below carry raw bytes
        value_serializer="json",
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        web_host="127.0.0.1",
        datadir=str(settings.data_dir),
        store="memory://",
    )
    first_seen = FirstSeen()
    follower = CompactedFollower(settings.kafka, settings.first_seen_topic,
                                 first_seen.learn)
    levels = AutonomyLevels()  # level-0 agents have every result reviewed
    levels_follower = CompactedFollower(settings.kafka, settings.topics.autonomy,
                                        levels.learn)
    job_ids = JobIds(settings.job_id_memory)  # to flag a job_id reused with other content
    job_ids_follower = CompactedFollower(settings.kafka, settings.job_ids_topic,
                                         job_ids.learn, tail=settings.job_id_memory)
    review = ReviewStage(keys.key_for, first_seen.mark, autonomy_level=levels.level_of,
                         job_id_reused=job_ids.note)
    pipeline = Pipeline(engine_for(policy), policy, settings.hash_key(), settings.topics,
                        settings.worker_id, review=review)

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def follow_first_seen() -> None:
        """Keep learning the agent actions other workers saw first."""
        await follower.start()
        while not app.should_stop:
            await follower.follow()
            await asyncio.sleep(1.0)

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def follow_autonomy_levels() -> None:
        """Keep learning the levels the autonomy scorer publishes."""
        await levels_follower.start()
        while not app.should_stop:
            await levels_follower.follow()
            await asyncio.sleep(1.0)

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def follow_job_ids() -> None:
        """Keep learning the job ids other workers decided."""
        await job_ids_follower.start()
        while not app.should_stop:
            await job_ids_follower.follow()
            await asyncio.sleep(1.0)

    reloader = PolicyReloader(pipeline, settings.policy_path, checks=(keys.check,))
    source = raw_topic(app, *settings.topics.inputs)
    log.info("policy %s from %s; inputs %s", policy.snapshot, policy.source,
             ",".join(settings.topics.inputs))

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def reload_policy_on_sighup() -> None:
        """`kill -HUP <worker>` reloads the policy file on the event loop, between batches."""
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reloader.reload)

    keeper = ChainKeeper(settings.kafka, settings.topics.audit,
                         settings.topics.inputs)

    @app.on_partitions_assigned.connect
    async def scale_budgets(_app: Any, /, *args: Any, **__: Any) -> None:
        """Reviewer budgets are per group; each worker admits its share of them."""
        assigned = args[0] if args else ()  # faust sends the assigned partitions positionally
        inputs = set(settings.topics.inputs)
        counts = await partition_counts(settings.kafka, inputs)
        mine = sum(1 for tp in assigned if tp.topic in inputs)
        review.set_share(mine / max(1, sum(counts.values())))
        log.info("reviewer budgets scaled to %d of %d input partitions", mine,
                 sum(counts.values()))

    @app.on_partitions_revoked.connect
    async def forget_audit_chain(_app: Any, /, *_: Any, **__: Any) -> None:
        keeper.forget()  # another worker may own these audit partitions now

    @app.agent(source, name="afterguard.decide")
    async def decide(stream: Any) -> None:
        await follower.loaded.wait()  # first-time review needs every sighting known first
        await levels_follower.loaded.wait()  # and supervision every level
        await job_ids_follower.loaded.wait()  # and the reuse flag the recent job ids
        async for events in stream.take_events(settings.batch_size, settings.batch_within_s):
            batch = [RawRecord(e.message.topic, e.message.partition, e.message.offset,
                               e.message.key, e.message.value) for e in events]
            chain = await keeper.chain_for(r.partition for r in batch)
            # Straight to the producer (faust's Topic.send wrapping cost 12% of the worker);
            # faust still flushes this producer before it commits the batch's offsets.
            producer = app.producer
            for emit in pipeline.process(batch, datetime.now(UTC), chain):
                await producer.send(emit.topic, emit.key, emit.value, emit.partition, None, None)
            for key, value in first_seen.drain():
                await producer.send(settings.first_seen_topic, key, value, None, None, None)
            for key, value in job_ids.drain():
                await producer.send(settings.job_ids_topic, key, value, None, None, None)

    return app
