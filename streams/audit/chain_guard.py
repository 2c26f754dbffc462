"""The sink's check of each audit chain before a record is inserted (pure).

The guard holds the last verified link of every (audit topic, partition) (the warehouse keeps
them in `afterguard_audit_heads`, written in the same transaction as the rows) and sorts each
record read into: the next link (inserted), an older seq (a replay, or a conflict when the
warehouse holds other content for it), or a problem that never reaches the audit table:

  edited       the record's content does not match its own hash
  misplaced    chained for another partition than the one it was read from
  broken_link  the next seq, but its prev_hash is not the verified head's hash
  gap          seqs are missing before it (it is inserted: the missing records cannot come
               later on an ordered partition; the gap is reported)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from streams.audit.chain import GENESIS, record_hash


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


HeadKey = tuple[str, int]  # (audit topic, partition)

Disposition = Literal["next", "older", "rejected"]


@dataclass(frozen=True)
class Checked:
    disposition: Disposition
    record: dict[str, Any] | None
    problem: str | None = None  # edited | misplaced | broken_link | gap
    detail: str = ""


class ChainGuard:
    def __init__(self, heads: dict[HeadKey, Head] | None = None) -> None:
        self.heads: dict[HeadKey, Head] = dict(heads or {})

    def check(self, topic: str, partition: int, record: dict[str, Any]) -> Checked:
        """Sort one parsed, chained audit record; the head moves past every `next` record."""
        chain = record["chain"]
        seq, digest = chain["seq"], chain["hash"]
        if record_hash(record) != digest:
            return Checked("rejected", record, "edited", f"seq {seq}: content does not match "
                                                         "its hash")
        if chain["partition"] != partition:
            return Checked("rejected", record, "misplaced",
                           f"seq {seq} chained for partition {chain['partition']}")
        head = self.heads.get((topic, partition))
        if head is None:  # the first record this sink sees of the partition
            if seq == 1 and chain["prev_hash"] != GENESIS:
                return Checked("rejected", record, "broken_link",
                               "seq 1 does not start from the genesis hash")
            self.heads[(topic, partition)] = Head(seq, digest)
            return Checked("next", record)
        if seq <= head.seq:
            return Checked("older", record, detail=f"seq {seq} at or before the verified "
                                                   f"head seq {head.seq}")
        if seq == head.seq + 1 and chain["prev_hash"] != head.hash:
            return Checked("rejected", record, "broken_link",
                           f"seq {seq}: prev_hash is not the hash of the verified seq "
                           f"{head.seq}")
        self.heads[(topic, partition)] = Head(seq, digest)
        if seq > head.seq + 1:
            return Checked("next", record, "gap",
                           f"seq {head.seq + 1}..{seq - 1} missing before seq {seq}")
        return Checked("next", record)


def parse_chained(value: bytes | None) -> dict[str, Any] | None:
    """A JSON object with a well-typed chain, or None."""
    try:
        record = json.loads(value or b"")
    except ValueError:
        return None
    chain = record.get("chain") if isinstance(record, dict) else None
    if not isinstance(chain, dict) or not all(
            isinstance(chain.get(k), t) for k, t in
            (("partition", int), ("seq", int), ("prev_hash", str), ("hash", str))):
        return None
    return record  # type: ignore[no-any-return]  # checked to be a JSON object above


# Fields a re-emitted record may change (decided again after a crash, by whichever worker
# owned the partition then); anything else different under one event_id is a conflict.
REEMIT_MAY_CHANGE = ("chain", "decision_ts", "decider")


def same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def core(r: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if k not in REEMIT_MAY_CHANGE}
    return core(a) == core(b)
