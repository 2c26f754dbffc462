"""An auditor's check of the sampling draws: recompute each decision's draw from its audit record
with the sampling key, and report every record whose recorded draw (or whose `drawn`) is not
what the key gives. Pure: the caller reads the records (an export or the topic).

What is recomputed (docs/sampling.md, "The draw, byte by byte"): `draw(key, job_id, job_hash,
policy_snapshot)` of `sampling/draw.py`, and `drawn == (draw < probability)`. A record made
under another key (its `key_id` names another secret) is counted apart, never as a mismatch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sampling.draw import SamplingKey, draw


@dataclass(frozen=True)
class Mismatch:
    """One decision whose sampling record the key does not reproduce."""

    position: str  # "line 12" of an export, "partition 1 offset 40" of the topic
    job_id: str
    problem: str


@dataclass
class RecomputeReport:
    key_id: str
    checked: int = 0
    matched: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    other_keys: dict[str, int] = field(default_factory=dict)  # key id -> records
    not_decisions: int = 0  # verdicts, escalations, autonomy changes: no draw
    unreadable: list[str] = field(default_factory=list)  # positions of lines that are not records


def key_fingerprint(key_id: str) -> str:
    """The part of a sampling `key_id` that names the secret (`<policy's name>@<id>`)."""
    return key_id.rpartition("@")[2]


def recompute(records: Iterable[tuple[str, bytes]], key: SamplingKey) -> RecomputeReport:
    """`records`: (position, audit record bytes) pairs, in any order."""
    report = RecomputeReport(key.key_id)
    mine = key_fingerprint(key.key_id)
    for position, value in records:
        try:
            record: Any = json.loads(value)
        except ValueError:
            report.unreadable.append(position)
            continue
        if not isinstance(record, dict):
            report.unreadable.append(position)
            continue
        sampling = record.get("sampling")
        if record.get("event_type") != "decision" or not isinstance(sampling, dict):
            report.not_decisions += 1
            continue
        recorded_key = str(sampling.get("key_id", ""))
        if key_fingerprint(recorded_key) != mine:
            report.other_keys[recorded_key] = report.other_keys.get(recorded_key, 0) + 1
            continue
        report.checked += 1
        problem = _problem(record, sampling, key)
        if problem is None:
            report.matched += 1
        else:
            report.mismatches.append(Mismatch(position, str(record.get("job_id")), problem))
    return report


def _problem(record: dict[str, Any], sampling: dict[str, Any], key: SamplingKey) -> str | None:
    try:
        value = draw(key, str(record["job_id"]), str(record["job_hash"]),
                     str(record["policy_snapshot"]))
        recorded, probability = float(sampling["draw"]), float(sampling["probability"])
        drawn = bool(sampling["drawn"])
    except (KeyError, TypeError, ValueError) as exc:
        return f"incomplete record ({exc.__class__.__name__}: {exc})"
    if value != recorded:
        return f"recorded draw {recorded!r}, the key gives {value!r}"
    if drawn != (value < probability):
        return (f"recorded drawn={drawn} but draw {value!r} is "
                f"{'below' if value < probability else 'not below'} probability {probability!r}")
    return None
