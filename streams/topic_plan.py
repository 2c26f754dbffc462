"""Every topic of Afterguard with the partitions and settings its writer needs, in one place.

Each component creates the topics it uses that do not exist yet (AFTERGUARD_CREATE_TOPICS), and
several components use the same topics: whichever starts first creates a topic, so all of them
create it as this plan says. (Before, the worker created the review service's audit topic with
the worker's 3 partitions when it started first, and the review service then found 3 partitions
where its one chain needs 1.) `afterguard kafka acls --apply` creates them all from it too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from streams.config import Settings
from streams.kafka_admin import ensure_topics, partition_counts
from streams.kafka_connection import KafkaConnection

log = logging.getLogger(__name__)

COMPACTED = {"cleanup.policy": "compact"}


@dataclass(frozen=True)
class TopicSpec:
    """How a topic is created: its partitions and topic settings, and who writes it."""

    partitions: int
    writer: str
    configs: Mapping[str, str] = field(default_factory=dict)
    # the writer keeps one hash chain per partition and writes one partition only: more
    # partitions than this would stay empty (a warning at start says so)
    single_chain: bool = False


def topic_plan(settings: Settings) -> dict[str, TopicSpec]:
    """Topic name -> how it is created, for every topic of these settings."""
    t, n = settings.topics, settings.topic_partitions
    retention_ms = str(int(settings.job_id_retention_hours * 3_600_000))
    plan = {name: TopicSpec(n, "agents") for name in t.inputs}
    plan.update({
        # the worker's outputs: partition p of each is written by the owner of input partition p
        t.released: TopicSpec(n, "worker (and the review service's releases)"),
        t.quarantine: TopicSpec(n, "worker"),
        t.review: TopicSpec(n, "worker"),
        t.audit: TopicSpec(n, "worker"),
        t.deadletter: TopicSpec(n, "every component"),
        settings.first_seen_topic: TopicSpec(n, "worker", COMPACTED),
        settings.job_ids_topic: TopicSpec(n, "worker", {"cleanup.policy": "compact,delete",
                                                        "retention.ms": retention_ms}),
        # the review service: one writer, one hash chain
        t.verdicts: TopicSpec(n, "review service"),
        t.review_audit: TopicSpec(1, "review service", single_chain=True),
        # the autonomy scorer: audit partition p takes the changes of events partition p
        t.autonomy: TopicSpec(n, "autonomy scorer", COMPACTED),
        t.autonomy_audit: TopicSpec(n, "autonomy scorer"),
        settings.autonomy_events_topic: TopicSpec(n, "autonomy scorer"),
        settings.autonomy_state_topic: TopicSpec(n, "autonomy scorer", COMPACTED),
        # the audit sink: one writer
        t.audit_checkpoints: TopicSpec(1, "audit sink"),
    })
    return plan


async def ensure_planned(kafka: KafkaConnection, settings: Settings,
                         names: Iterable[str]) -> None:
    """Create those of `names` that do not exist yet, each as the plan says; warn about a
    single-chain topic that exists with more partitions than its writer uses."""
    plan = topic_plan(settings)
    wanted = list(dict.fromkeys(names))
    unknown = [name for name in wanted if name not in plan]
    if unknown:
        raise KeyError(f"not in the topic plan: {', '.join(unknown)}")
    by_spec: dict[tuple[int, tuple[tuple[str, str], ...]], list[str]] = {}
    for name in wanted:
        spec = plan[name]
        by_spec.setdefault((spec.partitions, tuple(sorted(spec.configs.items()))), []).append(name)
    for (partitions, configs), group in by_spec.items():
        await ensure_topics(kafka, group, partitions, configs=dict(configs))
    chained = [name for name in wanted if plan[name].single_chain]
    try:
        counts = await partition_counts(kafka, chained) if chained else {}
    except LookupError:
        counts = {}  # created a moment ago and not listed yet: as planned
    for name, count in counts.items():
        if count != plan[name].partitions:
            log.warning("topic %s has %d partitions; its writer (%s) writes %d (it was "
                        "created by an older version); the extra partitions stay empty",
                        name, count, plan[name].writer, plan[name].partitions)


async def ensure_all_topics(kafka: KafkaConnection, settings: Settings) -> None:
    """Every topic of every component, as planned (for a super user setting up a cluster whose
    components may not create topics themselves)."""
    await ensure_planned(kafka, settings, topic_plan(settings))
