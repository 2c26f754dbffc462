"""Which audit records a reader takes as links of a chain: those their writer signed.

Each audit topic has one writer, and each signs its records with its own key and kind, so the
value (and its chain hash) is unchanged:
- the worker's audit topic: kind `audit_record`, one batch signature per decided batch (the
  batch signature of its review items, each record carrying its proof in Kafka headers:
  `streams.signing.batches`);
- the review service's (`*.audit.review`): kind `review_audit_record`, by the review service;
- the scorer's (`*.audit.autonomy`): kind `autonomy_audit_record`, by the autonomy scorer.
A record whose signature fails (unsigned, an unknown key, a key of another service, another
topic's kind, other bytes) is not a link: the sink and `audit checkpoint` report it as
`bad_signature` and never load or checkpoint it, `audit verify` reports it at its offset, and
the writer resumes its chain from the last signed record before it.

Records written before their writer signed them carry no signature: they are accepted only
below the offsets named in AFTERGUARD_AUDIT_UNSIGNED_BEFORE, never after them:
`partition:offset,...` for the worker's audit topic (each partition's end offset at the
upgrade), `topic:partition:offset` for a named topic (the review and autonomy audit topics).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from streams.signing.batches import BATCH_SIGNATURE_HEADER
from streams.signing.records import (
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    ReceivedHeaders,
    RecordKind,
    RecordVerifier,
)

_SIGNATURE_HEADERS = {KEY_ID_HEADER, SIGNATURE_HEADER, BATCH_SIGNATURE_HEADER}
# the review service's and the scorer's audit topics by their names' ends (the defaults'
# `afterguard.audit.review` and `afterguard.audit.autonomy`, or any prefix of them)
KIND_BY_SUFFIX = {".audit.review": RecordKind.REVIEW_AUDIT_RECORD,
                  ".audit.autonomy": RecordKind.AUTONOMY_AUDIT_RECORD}
# An upgrade offset: (the topic it names, None for the worker's audit topic; partition)
Place = tuple[str | None, int]


def unsigned_before(text: str) -> dict[Place, int]:
    """`[topic:]partition:offset,...` as a dict; raises ValueError naming what is wrong."""
    found: dict[Place, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        fields = part.rsplit(":", 2)
        topic = fields[0].strip() if len(fields) == 3 else None
        if len(fields) < 2 or not all(f.strip().isdigit() for f in fields[-2:]) or topic == "":
            raise ValueError(f"{part!r} is not partition:offset or topic:partition:offset")
        found[(topic, int(fields[-2]))] = int(fields[-1])
    return found


class AuditSignatures:
    """The check of each audit topic's writer's signature on its records: the review
    service's on `review_topics` and topics named `*.audit.review`, the scorer's on
    `autonomy_topics` and `*.audit.autonomy`, the worker's on every other audit topic (so a
    topic named on the command line is checked as the worker's unless it is one of those)."""

    def __init__(self, verifier: RecordVerifier, review_topics: Collection[str] = (),
                 autonomy_topics: Collection[str] = (),
                 unsigned_below: Mapping[Place, int] | None = None) -> None:
        self.verifier = verifier
        self.kinds = {**{t: RecordKind.REVIEW_AUDIT_RECORD for t in review_topics},
                      **{t: RecordKind.AUTONOMY_AUDIT_RECORD for t in autonomy_topics}}
        self.unsigned_below = dict(unsigned_below or {})

    def kind_of(self, topic: str) -> RecordKind:
        """The kind the records of `topic` are signed as (which says by whom)."""
        if topic in self.kinds:
            return self.kinds[topic]
        return next((kind for suffix, kind in KIND_BY_SUFFIX.items() if topic.endswith(suffix)),
                    RecordKind.AUDIT_RECORD)

    def problem(self, topic: str, partition: int, offset: int, key: bytes | None,
                value: bytes | None, headers: ReceivedHeaders) -> str | None:
        """None when the record may be taken as a link; else why not (no record content)."""
        kind = self.kind_of(topic)
        named = topic if kind is not RecordKind.AUDIT_RECORD or (
            (topic, partition) in self.unsigned_below) else None
        if offset < self.unsigned_below.get((named, partition), 0) and not _signed(headers):
            return None  # written before its writer signed its audit records
        bad = self.verifier.check(kind, key, value, headers)
        if bad is None:
            return None
        return f"{bad.reason} at {topic}[{partition}]@{offset}"


def _signed(headers: ReceivedHeaders) -> bool:
    if headers is None:
        return False
    names = headers.keys() if isinstance(headers, Mapping) else [n for n, _ in headers]
    return any(name in _SIGNATURE_HEADERS for name in names)
