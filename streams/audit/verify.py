"""Verification of audit chains: per partition, every gap, reordering, edit and broken link.

Pure: it takes the records in log order (from a topic or an export) and returns a report.
A record re-emitted after a crash (same event_id, later seq, valid link) is a duplicate,
reported as such and not as tampering.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from streams.audit.chain import GENESIS, record_hash
from streams.audit.chain_guard import parse_chained


@dataclass(frozen=True)
class Entry:
    """One audit record as read: the Kafka partition and offset when known (None in a file)."""

    partition: int | None
    position: int  # offset in the partition, or line number in an export
    value: bytes
    # why its signature was refused (read from the worker's topic with its headers): it is
    # reported as `bad_signature` and never taken as a link of the chain
    refused: str | None = None


@dataclass(frozen=True)
class Problem:
    kind: str  # malformed | bad_signature | misplaced | edited | gap | reordered | broken_link
    #            | conflict
    position: int
    seq: int | None
    detail: str


@dataclass
class PartitionReport:
    partition: int
    checked: int = 0
    last_seq: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (position, event_id)
    hashes: dict[int, str] = field(default_factory=dict)  # seq -> hash (first seen)
    problems: list[Problem] = field(default_factory=list)


def verify(entries: Iterable[Entry]) -> dict[int, PartitionReport]:
    """Reports keyed by audit partition (from the chain, or the Kafka partition)."""
    grouped: dict[int, list[tuple[Entry, dict[str, Any] | None]]] = {}
    for entry in entries:
        record = parse_chained(entry.value)
        chain = record.get("chain") if record else None
        partition = chain.get("partition") if isinstance(chain, dict) else None
        key = entry.partition if entry.partition is not None else partition
        grouped.setdefault(key if isinstance(key, int) else -1, []).append((entry, record))
    return {p: _verify_partition(p, items) for p, items in sorted(grouped.items())}


def _verify_partition(partition: int, items: list[tuple[Entry, dict[str, Any] | None]]
                      ) -> PartitionReport:
    report = PartitionReport(partition)
    links = [(e, r, r["chain"]) for e, r in items if r is not None and e.refused is None]
    for entry, record in items:
        report.checked += 1
        if record is None:
            report.problems.append(Problem("malformed", entry.position, None,
                                           "not an audit record with a chain"))
        elif entry.refused is not None:
            report.problems.append(Problem("bad_signature", entry.position,
                                           record["chain"]["seq"], entry.refused))
    present = {c["seq"] for _, _, c in links}
    hash_at: dict[int, str] = {}
    for _, _, c in links:
        hash_at.setdefault(c["seq"], c["hash"])
    seen_events: dict[str, int] = {}
    seen_seqs: set[int] = set()
    expected, high = 1, 0
    for entry, record, c in links:
        seq, add = c["seq"], report.problems.append
        if seq in seen_seqs and hash_at[seq] == c["hash"] == record_hash(record):
            report.duplicates.append((entry.position, str(record.get("event_id"))))
            continue  # the same record delivered twice (a producer retry)
        seen_seqs.add(seq)
        if c["partition"] != partition:
            add(Problem("misplaced", entry.position, seq,
                        f"chained for partition {c['partition']}"))
        if record_hash(record) != c["hash"]:
            add(Problem("edited", entry.position, seq,
                        "content does not match its hash"))
        if hash_at[seq] != c["hash"]:
            add(Problem("conflict", entry.position, seq,
                        f"seq {seq} appears again with a different hash"))
        elif seq < expected:
            add(Problem("reordered", entry.position, seq,
                        f"seq {seq} comes after seq {high}"))
        elif seq > expected:
            missing = [s for s in range(expected, seq) if s not in present]
            if missing:
                add(Problem("gap", entry.position, seq, f"{_span(missing)} missing before "
                                                       f"seq {seq}"))
            if len(missing) < seq - expected:
                add(Problem("reordered", entry.position, seq,
                            f"seq {seq} comes before seq {expected}"))
        previous = GENESIS if seq == 1 else hash_at.get(seq - 1)
        if previous is not None and c["prev_hash"] != previous:
            add(Problem("broken_link", entry.position, seq,
                        f"prev_hash does not match the hash of seq {seq - 1}"))
        event_id = str(record.get("event_id"))
        if event_id in seen_events:
            report.duplicates.append((entry.position, event_id))
        seen_events.setdefault(event_id, seq)
        high = max(high, seq)
        expected = max(expected, seq + 1)
    report.last_seq = high
    report.hashes = hash_at
    return report


def _span(seqs: list[int]) -> str:
    if len(seqs) == 1:
        return f"seq {seqs[0]}"
    return f"{len(seqs)} records (seq {seqs[0]}..{seqs[-1]})"
