"""The worker: wiring of the pure pipeline, its followers and the transactional decide loop.

A plain aiokafka consumer-group loop (streams.worker.decide_loop), not a faust app: faust's
agents can acknowledge records they never processed, and its exactly-once mode has open bugs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiokafka import TopicPartition

from detectors.compiled_build import describe as describe_build
from policies import load_policy
from streams.audit.keeper import ChainKeeper
from streams.autonomy.levels import AutonomyLevels
from streams.compacted import CompactedFollower
from streams.config import Settings
from streams.kafka_admin import partition_counts
from streams.kafka_connection import KafkaConnection
from streams.metrics.build import export_build
from streams.metrics.health import Health
from streams.metrics.server import new_registry, serve_metrics
from streams.metrics.tally import OutcomeTally
from streams.metrics.worker import DECIDE_LOOP, WorkerMetrics
from streams.signing import RecordKind, TopicSigner
from streams.signing.gate import SignatureGate
from streams.worker.batch import BatchDecider
from streams.worker.decide_loop import DecideLoop
from streams.worker.first_seen import FirstSeen
from streams.worker.job_ids import JobIds, sightings_in
from streams.worker.keys import SamplingKeys
from streams.worker.output_limits import OutputLimits, read_output_limits
from streams.worker.pipeline import Pipeline
from streams.worker.policy_reload import PolicyReloader, engine_for
from streams.worker.review_stage import ReviewStage

log = logging.getLogger(__name__)

FOLLOW_EVERY_S = 1.0


async def _described(kafka: KafkaConnection, topics: list[str], timeout_s: float = 30.0,
                     ) -> dict[str, int]:
    """Partition counts, waiting for topics created a moment ago to be known to the broker."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        try:
            return await partition_counts(kafka, topics)
        except LookupError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)


class Worker:
    """Everything a worker holds; `run` consumes until SIGTERM or SIGINT."""

    def __init__(self, settings: Settings) -> None:
        """Loads the policy and the detectors; raises PolicyError or ConfigError."""
        self.settings = settings
        policy = load_policy(settings.policy_path)
        keys = SamplingKeys()
        keys.check(policy)  # a missing sampling key stops the worker at start, naming the variable
        self.first_seen = FirstSeen()
        self.levels = AutonomyLevels()  # level-0 agents have every result reviewed
        self.job_ids = JobIds(settings.job_id_memory)  # to flag a job_id reused with other content
        # Records other services trust are signed; the state this worker follows is verified.
        record_signer = settings.signer("worker")
        # The followers read back the sightings this worker signs: recognised, not re-verified.
        record_signer.remember(RecordKind.FIRST_SEEN, RecordKind.JOB_ID)
        self.signer = TopicSigner(record_signer, {
            settings.topics.review: RecordKind.REVIEW_ITEM,
            settings.topics.quarantine: RecordKind.QUARANTINE_HOLD,
            settings.first_seen_topic: RecordKind.FIRST_SEEN,
            settings.job_ids_topic: RecordKind.JOB_ID,
            settings.topics.audit: RecordKind.AUDIT_RECORD})
        verifier = settings.verifier()
        verifier.own = record_signer
        self.followers = [
            CompactedFollower(settings.kafka, settings.first_seen_topic,
                              self.first_seen.learn, verifier, RecordKind.FIRST_SEEN),
            CompactedFollower(settings.kafka, settings.topics.autonomy,
                              self.levels.learn, verifier, RecordKind.AUTONOMY_LEVEL),
            CompactedFollower(settings.kafka, settings.job_ids_topic,
                              self.job_ids.learn, verifier, RecordKind.JOB_ID,
                              tail=settings.job_id_memory, weight=sightings_in),
        ]
        self.verifier = verifier
        self.review = ReviewStage(keys.key_for, self.first_seen.mark,
                                  autonomy_level=self.levels.level_of,
                                  job_id_reused=self.job_ids.note,
                                  forget_first_seen=self.first_seen.forget)
        self.deadletter_key = deadletter_key = settings.deadletter_key()
        if deadletter_key is None:
            log.warning("no dead-letter key (AFTERGUARD_DEADLETTER_KEY_FILE or $%s): dead "
                        "letters keep no bytes of the records they reject",
                        settings.deadletter_key_env)
        self.pipeline = Pipeline(engine_for(policy), policy, settings.hash_key(),
                                 settings.topics, settings.worker_id, review=self.review,
                                 deadletter_key=deadletter_key)
        self.reloader = PolicyReloader(self.pipeline, settings.policy_path, checks=(keys.check,))
        self.keeper = ChainKeeper(settings.kafka, settings.topics.audit,
                                  settings.topics.inputs, settings.audit_signatures(verifier))
        self._input_partitions = 0
        # Ready once the policy is loaded (here), the followed state is read and partitions
        # are assigned; live while the event loop and the decide loop turn (docs/operations.md)
        self.health = Health(settings.liveness_stall_s, ("policy loaded", "state recovered",
                                                         "partitions assigned"),
                             loops=("event loop", DECIDE_LOOP))
        self.health.met("policy loaded")
        self.registry = new_registry()
        self.pipeline.tally = OutcomeTally()
        self.metrics = WorkerMetrics(self.registry, self.health, self.pipeline.tally,
                                     settings.topics.inputs)
        self._decide: DecideLoop | None = None
        self._reloads: set[asyncio.Task[bool]] = set()
        log.info("policy %s from %s; inputs %s", policy.snapshot, policy.source,
                 ",".join(settings.topics.inputs))
        build = describe_build()  # compiled or Python source (docs/build.md)
        log.log(logging.INFO if build.complete else logging.WARNING, "%s", build.summary())
        export_build(self.registry, build)

    async def run(self) -> None:
        s = self.settings
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        # `kill -HUP <worker>` reloads the policy file between batches (never during one).
        loop.add_signal_handler(signal.SIGHUP, self._reload_soon)
        server = serve_metrics(s, "worker", self.registry, self.health)
        counts = await _described(s.kafka, [*s.topics.inputs, s.first_seen_topic,
                                                        s.job_ids_topic, s.topics.autonomy,
                                                        s.topics.audit])
        self._input_partitions = sum(counts[name] for name in s.topics.inputs)
        limits = await self._output_limits()
        # First-time review needs every sighting known first, supervision every level, and the
        # reuse flag the recent job ids.
        for follower in self.followers:
            await follower.start()
        self.health.met("state recovered")
        letters = s.kafka.producer(acks="all")  # dead letters of refused followed records
        await letters.start()
        gate = SignatureGate(self.verifier, s.worker_id, lambda key, value: letters.send_and_wait(
            s.topics.deadletter, value, key=key), self.deadletter_key)
        decide = self._decide = DecideLoop(
            s, BatchDecider(self.pipeline, self.first_seen, limits), self.keeper,
            self.first_seen, self.job_ids, self._scale_budgets, self.signer,
            self.metrics, self._output_limits)
        following = [asyncio.create_task(self._follow(f, stop, gate, decide.lock))
                     for f in self.followers]
        try:
            await decide.run(stop, lambda: log.info(
                "Ready: deciding %s as group %s%s", ",".join(s.topics.inputs), s.app_id,
                f" (static member {s.group_instance_id})" if s.group_instance_id else ""))
        finally:
            for task in following:
                task.cancel()
            for task in following:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            for follower in self.followers:
                await follower.stop()
            await letters.stop()
            if server is not None:
                server.stop()
        log.info("worker stopped")

    def _reload_soon(self) -> None:
        task = asyncio.ensure_future(self._reload())
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def _reload(self) -> bool:
        if self._decide is None:  # no batch yet
            return self.reloader.reload()
        return await self._decide.between_batches(self.reloader.reload)

    async def _follow(self, follower: CompactedFollower, stop: asyncio.Event,
                      gate: SignatureGate, batch_lock: asyncio.Lock) -> None:
        """Keep learning what other workers saw first and the levels the scorer publishes
        (between batches: under the batch lock); records whose signature fails go to the
        dead-letter topic."""
        while not stop.is_set():
            try:
                await follower.follow(guard=batch_lock)
                for message, problem in follower.drain_refused():
                    await gate.refuse(message, problem)
                    self.metrics.refused(follower.topic)
            except Exception as exc:  # noqa: BLE001 - a broker outage; the next poll retries
                log.warning("following %s: %s", follower.topic, type(exc).__name__)
            await asyncio.sleep(FOLLOW_EVERY_S)

    async def _output_limits(self) -> OutputLimits:
        s, t = self.settings, self.settings.topics
        outputs = [t.released, t.quarantine, t.review, t.audit, t.deadletter, s.first_seen_topic,
                   s.job_ids_topic]
        limits = await read_output_limits(s.kafka, [*t.inputs, *outputs],
                                          s.max_request_bytes)
        largest_input = max(limits.limit(name) for name in t.inputs)
        for name in (t.released, t.audit):
            if limits.limit(name) < largest_input:
                log.warning("topic %s takes records up to %d bytes, input records may be %d: a "
                            "result whose released decision is larger is held for review "
                            "by reference, not released (raise its max.message.bytes)", name,
                            limits.limit(name), largest_input)
        return limits

    def _scale_budgets(self, assigned: set[TopicPartition]) -> None:
        """Reviewer budgets are per group; each worker admits its share of them."""
        inputs = set(self.settings.topics.inputs)
        mine = sum(1 for tp in assigned if tp.topic in inputs)
        self.review.set_share(mine / max(1, self._input_partitions))
        log.info("reviewer budgets scaled to %d of %d input partitions", mine,
                 self._input_partitions)
