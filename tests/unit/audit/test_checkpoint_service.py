"""Where `afterguard audit checkpoint` resumes: its only state is the checkpoints, so only
those a trusted audit key signed count, and the newest of each partition wins."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.audit.chain_guard import Head
from streams.audit.checkpoint_service import RECENT_RECORDS, RecentRecords, resume_points
from streams.audit.checkpoints import sign_checkpoint, to_line
from streams.audit.warehouse import SinkBatch
from streams.signing import SigningKey, TrustedKeys

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def test_it_resumes_from_the_newest_checkpoint_a_trusted_audit_key_signed() -> None:
    audit, worker = SigningKey.generate("audit"), SigningKey.generate("worker")
    stranger = SigningKey.generate("audit")  # an audit key nobody trusts
    values = [to_line(sign_checkpoint(audit, "a", 0, 5, "h5", 40, NOW)),
              to_line(sign_checkpoint(audit, "a", 0, 9, "h9", 70, NOW)),
              to_line(sign_checkpoint(audit, "a", 0, 7, "h7", 55, NOW)),  # older, read later
              to_line(sign_checkpoint(stranger, "a", 0, 99, "forged", 900, NOW)),
              to_line(sign_checkpoint(worker, "a", 1, 99, "forged", 900, NOW)),
              to_line(sign_checkpoint(audit, "other", 0, 3, "h3", 3, NOW)),
              b"not a checkpoint"]
    points = resume_points(values, TrustedKeys.of(audit, worker), ["a"])
    assert {where: (c.seq, c.hash, c.offset) for where, c in points.items()} == {
        ("a", 0): (9, "h9", 70)}


def test_recent_records_keep_heads_and_a_bounded_memory() -> None:
    store = RecentRecords({("a", 0): Head(9, "h9")})
    rows = [{"event_id": f"e{i}"} for i in range(RECENT_RECORDS + 5)]
    assert store.write(SinkBatch(rows=rows, heads={("a", 1): Head(2, "h2")})) == len(rows)
    assert store.heads() == {("a", 0): Head(9, "h9"), ("a", 1): Head(2, "h2")}
    assert store.existing(["e0", f"e{RECENT_RECORDS + 4}"]) == {
        f"e{RECENT_RECORDS + 4}": {"event_id": f"e{RECENT_RECORDS + 4}"}}
