"""Which audit records a reader takes as links of the worker's chain: those the worker signed.

The worker signs its audit records with the batch signature of its review items (one Ed25519
signature per decided batch over a Merkle tree of the batch's signed records, each record
carrying its proof in Kafka headers: `streams.signing.batches`), as kind `audit_record`, so
the value (and its chain hash) is unchanged. A record of the worker's audit topic whose
signature fails (unsigned, an unknown key, a key of another service, other bytes) is not a
link: the sink and `audit checkpoint` report it as `bad_signature` and never load or
checkpoint it, `audit verify` reports it at its offset, and the worker resumes its chain from
the last signed record before it.

Records written before the worker signed them carry no signature: they are accepted only below
the offsets named in AFTERGUARD_AUDIT_UNSIGNED_BEFORE (`partition:offset,...`, each partition's
end offset at the upgrade), never after them.
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
UNSIGNED_SUFFIXES = (".audit.review", ".audit.autonomy")


def unsigned_before(text: str) -> dict[int, int]:
    """`partition:offset,...` as a dict; raises ValueError naming what is wrong."""
    found: dict[int, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        partition, sep, offset = part.partition(":")
        if not sep or not partition.strip().isdigit() or not offset.strip().isdigit():
            raise ValueError(f"{part!r} is not partition:offset")
        found[int(partition)] = int(offset)
    return found


class AuditSignatures:
    """The check of the worker's signature on the records of its audit topic: every audit topic
    but `unsigned_topics` and those named `*.audit.review` / `*.audit.autonomy` (the review
    service's and the scorer's, not signed yet) is taken to be one, so a topic named on the
    command line is checked unless it is one of those."""

    def __init__(self, verifier: RecordVerifier, unsigned_topics: Collection[str] = (),
                 unsigned_below: Mapping[int, int] | None = None) -> None:
        self.verifier, self.unsigned_topics = verifier, frozenset(unsigned_topics)
        self.unsigned_below = dict(unsigned_below or {})

    def problem(self, topic: str, partition: int, offset: int, key: bytes | None,
                value: bytes | None, headers: ReceivedHeaders) -> str | None:
        """None when the record may be taken as a link; else why not (no record content)."""
        if topic in self.unsigned_topics or topic.endswith(UNSIGNED_SUFFIXES):
            return None
        if offset < self.unsigned_below.get(partition, 0) and not _signed(headers):
            return None  # written before the worker signed its audit records
        bad = self.verifier.check(RecordKind.AUDIT_RECORD, key, value, headers)
        if bad is None:
            return None
        return f"{bad.reason} at {topic}[{partition}]@{offset}"


def _signed(headers: ReceivedHeaders) -> bool:
    if headers is None:
        return False
    names = headers.keys() if isinstance(headers, Mapping) else [n for n, _ in headers]
    return any(name in _SIGNATURE_HEADERS for name in names)
