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
from streams.codec import RawRecord
from streams.config import Settings
from streams.pipeline import Pipeline
from streams.policy_reload import PolicyReloader, engine_for

log = logging.getLogger(__name__)


def broker_urls(bootstrap_servers: str) -> list[str]:
    return [f"kafka://{server.strip()}" for server in bootstrap_servers.split(",") if server.strip()]


def create_app(settings: Settings) -> faust.App:
    """A faust app wired to the configured topics; policy and detectors are loaded once here."""
    policy = load_policy(settings.policy_path)
    pipeline = Pipeline(engine_for(policy), policy, settings.hash_key(), settings.topics,
                        settings.worker_id)
    reloader = PolicyReloader(pipeline, settings.policy_path)
    app = faust.App(
        settings.app_id,
        broker=broker_urls(settings.bootstrap_servers),
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        web_host="127.0.0.1",
        datadir=str(settings.data_dir),
        store="memory://",
    )
    source = app.topic(*settings.topics.inputs, key_type=bytes, value_type=bytes)
    sinks = {
        name: app.topic(name, key_type=bytes, value_type=bytes)
        for name in (settings.topics.released, settings.topics.quarantine,
                     settings.topics.audit, settings.topics.deadletter)
    }
    log.info("policy %s from %s; inputs %s", policy.snapshot, policy.source,
             ",".join(settings.topics.inputs))

    @app.task  # type: ignore[untyped-decorator]  # faust does not type its task decorator
    async def reload_policy_on_sighup() -> None:
        """`kill -HUP <worker>` reloads the policy file on the event loop, between batches."""
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reloader.reload)

    keeper = ChainKeeper(settings.bootstrap_servers, settings.topics.audit,
                         settings.topics.inputs)

    @app.on_partitions_revoked.connect
    async def forget_audit_chain(_app: Any, /, *_: Any, **__: Any) -> None:
        keeper.forget()  # another worker may own these audit partitions now

    @app.agent(source, name="afterguard.decide")
    async def decide(stream: Any) -> None:
        async for events in stream.take_events(settings.batch_size, settings.batch_within_s):
            batch = [RawRecord(e.message.topic, e.message.partition, e.message.offset,
                               e.message.key, e.message.value) for e in events]
            chain = await keeper.chain_for(r.partition for r in batch)
            for emit in pipeline.process(batch, datetime.now(UTC), chain):
                await sinks[emit.topic].send(key=emit.key, value=emit.value,
                                             partition=emit.partition)

    return app
