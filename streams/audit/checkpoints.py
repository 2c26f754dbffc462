"""Signed checkpoints of audit chain heads: what makes a cut tail or a recomputed chain visible.

A checkpoint says "audit topic T, partition P had seq N with hash H at time A", signed with
the audit service's Ed25519 key (service `audit` in the trusted keys file). Checkpoints live
outside the audit topic (their own topic, a file, the warehouse), so someone who can write the
audit topic but holds no audit key cannot make them agree with a forged chain:
- a chain that ends before a checkpointed seq was cut (`truncated`);
- a record whose hash differs from the checkpointed one at the same seq belongs to a chain
  recomputed after the checkpoint (`rechained`), even when that chain is internally valid.

The signature covers "afterguard-checkpoint-v1" 0x00 and the checkpoint's canonical JSON
(RFC 8785, streams/audit/canonical.py) without `signature`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from streams.audit.canonical import canonical_bytes
from streams.audit.verify import PartitionReport
from streams.signing import SigningKey, TrustedKeys

CHECKPOINT_VERSION = 1
SIGNER_SERVICE = "audit"
_DOMAIN = b"afterguard-checkpoint-v1\x00"


class Checkpoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    checkpoint_version: int = CHECKPOINT_VERSION
    audit_topic: str
    partition: int
    seq: int
    hash: str
    offset: int  # the Kafka offset of the record at `seq` (informational)
    at: datetime
    key_id: str
    signature: str = ""  # base64 Ed25519

    def unsigned_bytes(self) -> bytes:
        data = self.model_dump(mode="json", exclude={"signature"})
        return _DOMAIN + canonical_bytes(data)

    def kafka_key(self) -> bytes:
        return f"{self.audit_topic}/{self.partition}".encode()


def sign_checkpoint(key: SigningKey, audit_topic: str, partition: int, seq: int, hash_: str,
                    offset: int, at: datetime) -> Checkpoint:
    unsigned = Checkpoint(audit_topic=audit_topic, partition=partition, seq=seq, hash=hash_,
                          offset=offset, at=at, key_id=key.key_id)
    signature = base64.b64encode(key.sign(unsigned.unsigned_bytes())).decode()
    return unsigned.model_copy(update={"signature": signature})


@dataclass(frozen=True)
class CheckpointProblem:
    kind: str  # bad_checkpoint | truncated | rechained
    partition: int | None
    seq: int | None
    detail: str


def checkpoint_problem(value: bytes, trusted: TrustedKeys) -> Checkpoint | CheckpointProblem:
    """The checkpoint when it parses and its signature is by a trusted audit key."""
    try:
        checkpoint = Checkpoint.model_validate_json(value)
    except (ValidationError, ValueError):
        return CheckpointProblem("bad_checkpoint", None, None, "not a checkpoint")
    key = trusted.get(checkpoint.key_id)
    if key is None or key.service != SIGNER_SERVICE:
        return CheckpointProblem("bad_checkpoint", checkpoint.partition, checkpoint.seq,
                                 f"signed by key {checkpoint.key_id[:32]!r}, not a trusted "
                                 "audit key")
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not key.verifies(signature, checkpoint.unsigned_bytes()):
        return CheckpointProblem("bad_checkpoint", checkpoint.partition, checkpoint.seq,
                                 "signature does not match")
    return checkpoint


def compare(audit_topic: str, checkpoints: Iterable[Checkpoint],
            reports: dict[int, PartitionReport]) -> list[CheckpointProblem]:
    """Every way the chains in `reports` disagree with the checkpoints of `audit_topic`."""
    problems = []
    for cp in sorted((c for c in checkpoints if c.audit_topic == audit_topic),
                     key=lambda c: (c.partition, c.seq)):
        report = reports.get(cp.partition)
        last = report.last_seq if report is not None else 0
        have = report.hashes.get(cp.seq) if report is not None else None
        if have is None and cp.seq > last:
            problems.append(CheckpointProblem(
                "truncated", cp.partition, cp.seq,
                f"checkpoint of {cp.at.isoformat()} signed seq {cp.seq}; the chain ends at "
                f"seq {last}: records were removed from the end"))
        elif have is None:
            problems.append(CheckpointProblem(
                "truncated", cp.partition, cp.seq,
                f"seq {cp.seq}, signed by the checkpoint of {cp.at.isoformat()}, is missing"))
        elif have != cp.hash:
            problems.append(CheckpointProblem(
                "rechained", cp.partition, cp.seq,
                f"seq {cp.seq} has hash {have[:19]}…, the checkpoint of {cp.at.isoformat()} "
                f"signed {cp.hash[:19]}…: the chain was recomputed after it"))
    return problems


def parse_lines(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if line.strip()]


def to_line(checkpoint: Checkpoint) -> bytes:
    return json.dumps(checkpoint.model_dump(mode="json"), separators=(",", ":")).encode()
