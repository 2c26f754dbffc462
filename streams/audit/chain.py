"""The hash chain of an audit partition, as a small state object the pipeline seals records with.

Each record's `chain` holds its audit `partition`, `seq` (1, 2, ... per partition), `prev_hash`
(the previous record's hash, or GENESIS for seq 1) and `hash`: sha256 over the canonical JSON
of the whole record with `chain.hash` left out. The audit partition comes from the source
partition (`source partition mod audit partitions`), so the worker that owns an input partition
is the only writer of its audit partition. The state is the topic itself: after an assignment
the shell reads each audit partition's last record and `resume`s from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import orjson

from streams.audit.canonical import canonical_bytes, canonical_members, canonical_object
from streams.records import AuditRecord, DecisionPayload, model_fields

GENESIS = "sha256:" + "0" * 64


class UnchainedRecord(ValueError):
    """A partition's last record carries no chain (written before the chain existed)."""


class ChainNotLoaded(LookupError):
    """The chain head of an audit partition has not been resumed from the topic yet."""


@dataclass(frozen=True)
class ChainHead:
    """The last link written to an audit partition."""

    seq: int
    hash: str

    def __init__(self, seq: int, hash: str) -> None:  # noqa: A002 - the field's name
        # the dataclass's own, written out: the generated one is not compiled (one per
        # record); its fields set in one step, as the instance's dict in their order
        _SET(self, "__dict__", {"seq": seq, "hash": hash})


@dataclass(frozen=True)
class Sealed:
    partition: int
    value: bytes

    def __init__(self, partition: int, value: bytes) -> None:
        # as ChainHead's
        _SET(self, "__dict__", {"partition": partition, "value": value})


_SET = object.__setattr__


def record_hash(record: dict[str, Any]) -> str:
    """The hash of a record as on the wire (a parsed JSON object), ignoring `chain.hash`."""
    chain = {k: v for k, v in record.get("chain", {}).items() if k != "hash"}
    return "sha256:" + hashlib.sha256(canonical_bytes({**record, "chain": chain})).hexdigest()


class AuditChain:
    """Chain heads of the audit partitions this worker writes."""

    def __init__(self, partitions: int, heads: dict[int, ChainHead] | None = None) -> None:
        if partitions < 1:
            raise ValueError("an audit topic has at least one partition")
        self.partitions = partitions
        self._heads: dict[int, ChainHead] = dict(heads or {})

    @classmethod
    def fresh(cls, partitions: int) -> AuditChain:
        """Every partition empty (tests, and a brand-new topic)."""
        return cls(partitions, {p: ChainHead(0, GENESIS) for p in range(partitions)})

    def partition_for(self, source_partition: int) -> int:
        return source_partition % self.partitions

    def loaded(self) -> set[int]:
        return set(self._heads)

    def heads(self) -> dict[int, int]:
        """The last seq of each loaded partition."""
        return {p: head.seq for p, head in self._heads.items()}

    def forget(self) -> None:
        """Drop every head (on a rebalance: another worker may write these partitions now)."""
        self._heads.clear()

    def snapshot(self) -> dict[int, ChainHead]:
        """The heads as they are now, to `restore` when records sealed after this point are
        never written (a failed batch)."""
        return dict(self._heads)

    def restore(self, heads: dict[int, ChainHead]) -> None:
        self._heads = dict(heads)

    def resume(self, partition: int, last_record: bytes | None) -> None:
        """Continue after the partition's last record (None: the partition is empty)."""
        if last_record is None:
            self._heads[partition] = ChainHead(0, GENESIS)
            return
        link = json.loads(last_record).get("chain") or {}
        if not isinstance(link.get("seq"), int) or not isinstance(link.get("hash"), str):
            raise UnchainedRecord(f"the last record of audit partition {partition} has no chain")
        self._heads[partition] = ChainHead(link["seq"], link["hash"])

    def seal(self, record: AuditRecord, source_partition: int) -> Sealed:
        """The record linked after its partition's head, as canonical JSON bytes: the hash is
        taken over the record with the link without its hash, and the record with the full
        link is the bytes written. A decision record is encoded whole by orjson once, and the
        hash put into its link (see `_fast_encoding`); any other is encoded member by member,
        each member once."""
        decision = type(record.payload) is DecisionPayload and not record.__pydantic_extra__
        return self._seal(record.__dict__ if decision else None, record, source_partition)

    def seal_decision(self, fields: dict[str, Any], source_partition: int) -> Sealed:
        """`seal` of a decision's audit record given as its fields: AuditRecord's, in its
        order, as plain values (its payload DecisionPayload's fields; the worker builds it so:
        streams/worker/result_records.py). The same bytes as the model's."""
        return self._seal(fields, None, source_partition)

    def _seal(self, fields: dict[str, Any] | None, record: AuditRecord | None,
              source_partition: int) -> Sealed:
        """`fields`: a decision record's fields, for the fast encoding; `record`: the model
        (built from `fields` when the exact path needs it)."""
        partition = self.partition_for(source_partition)
        head = self._heads.get(partition)
        if head is None:
            raise ChainNotLoaded(f"audit partition {partition} has not been resumed")
        link: dict[str, Any] = {"partition": partition, "seq": head.seq + 1,
                                "prev_hash": head.hash}
        sealed = None if fields is None else _fast_encoding(fields, link)
        if sealed is None:
            if record is None:
                record = AuditRecord.model_validate(fields)
            dumped = record.model_dump(mode="json", exclude={"chain"})
            members = canonical_members(dumped)
            members["chain"] = canonical_bytes(link)
            digest = "sha256:" + hashlib.sha256(canonical_object(members)).hexdigest()
            members["chain"] = canonical_bytes({**link, "hash": digest})
            sealed = digest, canonical_object(members)
        digest, value = sealed
        self._heads[partition] = ChainHead(head.seq + 1, digest)
        return Sealed(partition, value)


# A decision's audit record (schema_version 2): every object key, at any depth, is a field name
# of its models (ASCII, so orjson's key order is RFC 8785's) and its only floats are these of
# the sampling record. `tests/unit/audit/test_seal_fast_path.py` checks the models still say so.
SAMPLING_FLOATS = ("weight", "probability", "draw", "inclusion_probability")
_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z


def _fast_encoding(fields: dict[str, Any], link: dict[str, Any]) -> tuple[str, bytes] | None:
    """The hash and the sealed bytes of a decision record (its fields), or None for the exact
    path. Such a record needs no generic normaliser (a walk over every value): only its
    sampling floats need a look (an integral float is written as an integer; one Python prints
    with an exponent takes the exact path). orjson writes the models from their fields
    (`model_fields`: the same JSON as `model_dump(mode="json")`) and refuses what it cannot
    write exactly (a lone surrogate, an integer past 64 bits): the exact path too."""
    if type(link["prev_hash"]) is not str or not link["prev_hash"].isascii():
        return None  # a head read from the topic: whatever it holds, the exact path decides
    fields = {**fields, "chain": link}
    sampling = fields.get("sampling")
    if sampling is not None:
        fields["sampling"] = sampling = dict(
            sampling if type(sampling) is dict else sampling.__dict__)
        if not _plain_sampling(sampling):
            return None
    try:
        unsealed = orjson.dumps(fields, default=model_fields, option=_SORTED)
    except orjson.JSONEncodeError:
        return None
    digest = "sha256:" + hashlib.sha256(unsealed).hexdigest()
    # The written record is the hashed one with `hash` first in its link (sorted keys): the
    # only `"chain":{` in it is the record's own link, since the members before it (`action`,
    # `agent_id`, `approver_id`) are strings, whose quotes orjson escapes.
    return digest, unsealed.replace(b'"chain":{', b'"chain":{"hash":"' + digest.encode() + b'",', 1)


def _plain_sampling(sampling: Any) -> bool:
    """Makes the sampling record's integral floats integers (as RFC 8785 writes them); False
    when a float needs the exact encoder (an exponent, a magnitude past 2**53, not finite).
    A float that is not integral is below 2**53 when finite, and Python prints it with an
    exponent exactly when it is below 1e-4 in magnitude (its shortest digits round to it, so
    they are below 0.0001 exactly when it is below the float 1e-4): the range says what
    `"e" in repr(value)` says, without printing it (tests/unit/audit/test_seal_fast_path.py)."""
    if sampling is None:
        return True
    if type(sampling) is not dict:
        return False
    for name in SAMPLING_FLOATS:
        value = sampling.get(name)
        if type(value) is not float:
            continue
        if value.is_integer():
            if abs(value) >= 2**53:
                return False
            sampling[name] = int(value)
        elif not _PRINTED_PLAIN <= abs(value) < _EXACT_INTEGERS:  # NaN and infinities too
            return False
    return True


_PRINTED_PLAIN, _EXACT_INTEGERS = 1e-4, float(2**53)
