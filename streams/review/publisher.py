"""Producing what the queue emits: verdicts, released results, and audit records sealed into
the review audit topic's hash chain.

The review service is the only writer of that topic (partition 0), as each worker is the only
writer of its audit partitions: the two kinds of chain never share a partition, so `afterguard
audit verify --topic <review audit topic>` checks the review events exactly like the worker's.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from streams.faust_topics import raw_topic
from streams.audit.evidence import evidence_problems, rejected_audit_letter
from streams.audit.keeper import ChainKeeper
from streams.config import Settings
from streams.review.queue import Effects

log = logging.getLogger(__name__)
AUDIT_PARTITION = 0


class Publisher:
    def __init__(self, app: Any, settings: Settings) -> None:
        t = settings.topics

        self.verdicts, self.released = raw_topic(app, t.verdicts), raw_topic(app, t.released)
        self.audit = raw_topic(app, t.review_audit)
        self.deadletter, self.worker_id = raw_topic(app, t.deadletter), settings.worker_id
        self.keeper = ChainKeeper(settings.kafka, t.review_audit, [t.review_audit])
        self._audit_lock = asyncio.Lock()  # records are sealed and sent in chain order

    async def publish(self, effects: Effects) -> None:
        for verdict in effects.verdicts:
            await self.verdicts.send(key=verdict.job_id.encode(),
                                     value=verdict.model_dump_json().encode())
            log.info("verdict %s on %s: %s by %s%s", verdict.verdict_id, verdict.item_id,
                     verdict.verdict.value, verdict.approver_id,
                     " (automatic)" if verdict.automatic else "")
        for release in effects.releases:
            await self.released.send(key=release.job_id.encode(),
                                     value=release.model_dump_json().encode())
            log.info("released quarantined result of job %s after review", release.job_id)
        if not effects.audit:
            return
        async with self._audit_lock:
            chain = await self.keeper.chain_for([AUDIT_PARTITION])
            for record in effects.audit:
                problems = evidence_problems(record)
                if problems:  # a bug, not input: the record carries no raw values
                    log.error("audit record %s rejected by the evidence contract: %s",
                              record.event_id, "; ".join(problems))
                    letter = rejected_audit_letter(record, problems, self.worker_id,
                                                   datetime.now(UTC), key=record.job_id.encode())
                    await self.deadletter.send(key=record.job_id.encode(),
                                               value=letter.model_dump_json().encode())
                    continue
                sealed = chain.seal(record, AUDIT_PARTITION)
                await self.audit.send(key=record.job_id.encode(), value=sealed.value,
                                      partition=sealed.partition)
