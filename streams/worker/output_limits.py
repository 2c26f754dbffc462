"""Every record the worker produces fits its topic: the topic's max.message.bytes and the
producer's request limit, whichever is smaller.

The lists of findings and redactions in a result's records are bounded from these limits
(`record_bounds`, streams/worker/list_bounds.py), so no number of findings makes a record too
big. A record over the limit is made smaller where that loses nothing: a held decision or review
item keeps a reference to its input record (topic, partition, offset and job_hash) in its
`output_withheld`, its `output` null, and a dead letter keeps its source reference without copying the value. The input
topic still holds the bytes; a reader fetches them from there. A record that cannot be made
smaller (a released decision) raises `OversizeOutput`: the worker then decides the result again
as withheld, quarantined with its output by reference (streams/worker/withheld.py), and only
if even that does not fit dead-letters its input (docs/exactly-once.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.config import Topics
from streams.kafka_connection import KafkaConnection
from streams.worker.codec import RawRecord
from streams.worker.list_bounds import RecordBounds
from streams.worker.pipeline import Emit
from streams.worker.withheld import output_reference

__all__ = ["BROKER_DEFAULT", "RECORD_OVERHEAD", "OutputLimits", "OversizeOutput",
           "output_reference", "read_output_limits"]

# What a record costs beyond its key and value inside a record batch (headers, varints, the
# batch header of a record that travels alone), rounded up.
RECORD_OVERHEAD = 512
BROKER_DEFAULT = 1_048_588  # message.max.bytes when a topic sets nothing


class OversizeOutput(ValueError):
    """An output record is over its topic's limit and cannot be made smaller."""

    def __init__(self, message: str, topic: str) -> None:
        super().__init__(message)
        self.topic = topic


@dataclass(frozen=True)
class OutputLimits:
    """The largest record (key + value) each topic accepts."""

    request_limit: int
    by_topic: Mapping[str, int] = field(default_factory=dict)

    def limit(self, topic: str) -> int:
        return min(self.by_topic.get(topic, BROKER_DEFAULT), self.request_limit) - RECORD_OVERHEAD

    def fits(self, emit: Emit) -> bool:
        return len(emit.key or b"") + len(emit.value) <= self.limit(emit.topic)

    def check(self, emits: Iterable[Emit]) -> None:
        """Raise OversizeOutput for the first record over its topic's limit."""
        for emit in emits:
            if not self.fits(emit):
                raise OversizeOutput(f"a {len(emit.value)}-byte record for topic {emit.topic} is "
                                     f"over its limit of {self.limit(emit.topic)} bytes",
                                     emit.topic)

    def record_bounds(self, topics: Topics) -> RecordBounds:
        """How many findings and redactions a result's records itemise: from the smallest
        limit of the topics that carry those lists."""
        return RecordBounds.for_limit(min(self.limit(name) for name in (
            topics.released, topics.quarantine, topics.review, topics.audit)))

    def fit(self, emits: Iterable[Emit], raw: RawRecord, topics: Topics) -> list[Emit]:
        """The records of one input, each within its topic's limit (see the module doc)."""
        fitted = []
        for emit in emits:
            if not self.fits(emit):
                emit = self._smaller(emit, raw, topics)
            fitted.append(emit)
        self.check(fitted)
        return fitted

    def _smaller(self, emit: Emit, raw: RawRecord, topics: Topics) -> Emit:
        document = json.loads(emit.value)
        if emit.topic in (topics.quarantine, topics.review) and "output" in document:
            document["output"] = None
            document["output_withheld"] = output_reference(
                raw, document.get("job_hash"), len(emit.value)).model_dump(mode="json")
        elif emit.topic == topics.deadletter and document.get("value_sealed") is not None:
            document["value_sealed"] = None
            document["reason"] = (f"{document.get('reason', '')}; the value ({len(raw.value or b'')}"
                                  f" bytes) is not copied here, it is larger than this topic's "
                                  f"records may be: read it at its source offset")
        else:
            raise OversizeOutput(f"a {len(emit.value)}-byte record for topic {emit.topic} is over "
                                 f"its limit of {self.limit(emit.topic)} bytes", emit.topic)
        return Emit(emit.topic, emit.key, _encode(document), emit.partition)


def _encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


async def read_output_limits(kafka: KafkaConnection, topics: Iterable[str],
                             request_limit: int) -> OutputLimits:
    """Each topic's max.message.bytes as the broker reports it."""
    names = list(dict.fromkeys(topics))
    admin = kafka.admin()
    await admin.start()
    try:
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    finally:
        await admin.close()
    found: dict[str, int] = {}
    for response in responses:
        for resource in response.to_object()["resources"]:
            for entry in resource["config_entries"]:
                if entry["config_names"] == "max.message.bytes":
                    found[resource["resource_name"]] = int(entry["config_value"])
    return OutputLimits(request_limit, found)
