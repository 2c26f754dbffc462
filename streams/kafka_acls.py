"""Who may read and write which topic: the ACL set Afterguard ships, one principal per component.

Agents write their input topics and nothing else; the worker reads inputs and writes decisions,
review items, its audit chain and dead letters; the review service reads review items and
quarantine holds and writes verdicts, releases and its audit chain; the autonomy scorer reads
audit records and verdicts and writes levels and its audit chain; the sink reads the audit
topics and writes the signed checkpoints of their chains. Everything else is denied by Kafka's authorizer (no ACL, no access).

`afterguard kafka acls --print` shows the set as `kafka-acls.sh` commands; `--apply` creates the
topics and the ACLs through the admin client (run it as a super user).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest

from streams.config import Settings
from streams.kafka_connection import KafkaConnection

COMPONENTS = ("agent", "worker", "review", "autonomy", "sink")
DEFAULT_SINK_GROUP = "afterguard-audit-sink"
# `afterguard audit checkpoint` (checkpoints without a sink) runs as the sink's principal
DEFAULT_CHECKPOINT_GROUP = "afterguard-audit-checkpoint"


class Resource(IntEnum):  # Kafka's ResourceType codes
    TOPIC = 2
    GROUP = 3
    TRANSACTIONAL_ID = 5


class Pattern(IntEnum):  # Kafka's PatternType codes
    LITERAL = 3
    PREFIXED = 4


class Operation(IntEnum):  # Kafka's AclOperation codes
    ALL = 2
    READ = 3
    WRITE = 4
    CREATE = 5
    DESCRIBE = 8
    DESCRIBE_CONFIGS = 10


ALLOW = 3  # AclPermissionType.ALLOW
READS = (Operation.READ, Operation.DESCRIBE)
# a writer may read its topics' settings (outputs are sized against max.message.bytes)
WRITES = (Operation.WRITE, Operation.DESCRIBE, Operation.CREATE, Operation.DESCRIBE_CONFIGS)


@dataclass(frozen=True, order=True)
class Grant:
    """Allow `principal` these operations on one resource (a name, or every name it prefixes)."""

    principal: str
    resource: Resource
    name: str
    pattern: Pattern
    operations: tuple[Operation, ...]

    def kafka_acls_command(self) -> str:
        flag = {Resource.TOPIC: "--topic", Resource.GROUP: "--group",
                Resource.TRANSACTIONAL_ID: "--transactional-id"}[self.resource]
        ops = " ".join("--operation " + "".join(part.title() for part in op.name.split("_"))
                       for op in self.operations)  # DESCRIBE_CONFIGS -> DescribeConfigs
        return (f"kafka-acls.sh --bootstrap-server $KAFKA_BOOTSTRAP_SERVERS --command-config "
                f"admin.properties --add --allow-principal {self.principal} {ops} {flag} "
                f"'{self.name}' --resource-pattern-type {self.pattern.name.lower()}")


def _topics(principal: str, names: Iterable[str], ops: tuple[Operation, ...]) -> list[Grant]:
    return [Grant(principal, Resource.TOPIC, name, Pattern.LITERAL, ops)
            for name in dict.fromkeys(names)]


def _app(principal: str, app_id: str, own_topics_prefix: bool) -> list[Grant]:
    """A faust app's consumer group, its transactional ids and its internal topics."""
    grants = [Grant(principal, Resource.GROUP, app_id, Pattern.LITERAL, READS),
              Grant(principal, Resource.TRANSACTIONAL_ID, f"{app_id}.", Pattern.PREFIXED,
                    (Operation.WRITE, Operation.DESCRIBE))]
    if own_topics_prefix:  # changelogs, state topics, own consumer groups: `<app id>-...`
        grants += [Grant(principal, Resource.TOPIC, f"{app_id}-", Pattern.PREFIXED,
                         (Operation.ALL,)),
                   Grant(principal, Resource.GROUP, f"{app_id}-", Pattern.PREFIXED, READS)]
    else:  # the worker's app id prefixes the other services' ids: name its topics one by one
        grants.append(Grant(principal, Resource.TOPIC, f"{app_id}-__assignor-__leader",
                            Pattern.LITERAL, (Operation.ALL,)))
    return grants


def acl_set(settings: Settings, principals: Mapping[str, str],
            sink_group: str = DEFAULT_SINK_GROUP) -> list[Grant]:
    """The grants for these topics and app ids; `principals` maps component -> `User:name`."""
    from streams.autonomy.service import events_topic, scorer_app_id

    t = settings.topics
    agent, worker, review = principals["agent"], principals["worker"], principals["review"]
    autonomy, sink = principals["autonomy"], principals["sink"]
    grants = [
        *_topics(agent, t.inputs, (Operation.WRITE, Operation.DESCRIBE)),
        *_topics(worker, t.inputs, (*READS, Operation.DESCRIBE_CONFIGS)),  # input size limit
        *_topics(worker, [t.released, t.quarantine, t.review, t.deadletter], WRITES),
        *_topics(worker, [t.audit, settings.first_seen_topic, settings.job_ids_topic],
                 (*WRITES, Operation.READ)),
        *_topics(worker, [t.autonomy], READS),
        *_app(worker, settings.app_id, own_topics_prefix=False),
        *_topics(review, [t.review, t.quarantine, t.autonomy], READS),  # levels: console
        *_topics(review, [t.released, t.deadletter], WRITES),
        # verdicts are read back after a restart; the audit chain's tail is read to resume it
        *_topics(review, [t.verdicts, t.review_audit], (*WRITES, Operation.READ)),
        *_app(review, settings.review_app_id, own_topics_prefix=True),
        *_topics(autonomy, [t.audit, t.verdicts], READS),
        *_topics(autonomy, [t.deadletter], WRITES),
        *_topics(autonomy, [t.autonomy, t.autonomy_audit, events_topic(settings)],
                 (*WRITES, Operation.READ)),
        *_app(autonomy, scorer_app_id(settings), own_topics_prefix=True),
        *_topics(sink, [t.audit, t.review_audit, t.autonomy_audit], READS),
        # the sink signs checkpoints of the chains it verified (their only writer)
        *_topics(sink, [t.audit_checkpoints], (*WRITES, Operation.READ)),
        Grant(sink, Resource.GROUP, sink_group, Pattern.LITERAL, READS),
        Grant(sink, Resource.GROUP, DEFAULT_CHECKPOINT_GROUP, Pattern.LITERAL, READS),
    ]
    return sorted(set(grants))


def render(grants: Iterable[Grant]) -> str:
    """The grants as a table: principal, resource, pattern, operations."""
    rows = [(g.principal, f"{g.resource.name.lower()} {g.name}", g.pattern.name.lower(),
             ", ".join(op.name for op in g.operations)) for g in grants]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{a:{widths[0]}}  {b:{widths[1]}}  {c:{widths[2]}}  {d}"
                     for a, b, c, d in rows)


async def apply(kafka: KafkaConnection, grants: Iterable[Grant]) -> int:
    """Create the ACLs (existing ones are kept: Kafka ignores duplicates); the count sent."""
    client = kafka.client()
    await client.bootstrap()
    sent = 0
    try:
        node = client.get_random_node()
        for grant in grants:
            for operation in grant.operations:
                response = await client.send(node, CreateAclsRequest(
                    grant.resource, grant.name, grant.pattern, grant.principal, "*",
                    operation, ALLOW))
                for error_code, message in response.creation_responses:
                    if error_code:
                        raise for_code(error_code)(
                            f"ACL {grant.principal} {operation.name} {grant.resource.name} "
                            f"{grant.name}: {message}")
                sent += 1
    finally:
        await client.close()
    return sent
