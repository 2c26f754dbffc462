"""`audit verify` catches every kind of tampering, and tells re-delivery from tampering."""

from __future__ import annotations

import json

from streams.audit.chain import AuditChain, record_hash
from streams.audit.verify import Entry, verify
from tests.unit.audit.records import audit, chained, edit, entries


def kinds(values: list[bytes]) -> list[tuple[str, int | None]]:
    return [(p.kind, p.seq) for r in verify(entries(values)).values() for p in r.problems]


def test_an_untouched_export_verifies_clean_per_partition() -> None:
    reports = verify(entries(chained(5, partitions=3)))
    assert sorted(reports) == [0, 1, 2]
    assert [(r.checked, r.last_seq, r.problems, r.duplicates) for r in reports.values()] == [
        (5, 5, [], [])] * 3


def test_an_edited_field_is_caught() -> None:
    values = chained(4)
    values[1] = edit(values[1], agent_id="someone-else")
    assert kinds(values) == [("edited", 2)]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link() -> None:
    values = chained(4)
    record = json.loads(edit(values[1], tenant="other"))
    record["chain"]["hash"] = record_hash(record)
    values[1] = json.dumps(record).encode()
    assert kinds(values) == [("broken_link", 3)]


def test_a_removed_record_is_a_gap() -> None:
    values = chained(5)
    del values[2]
    problems = verify(entries(values))[0].problems
    assert [(p.kind, p.seq, p.detail) for p in problems] == [
        ("gap", 4, "seq 3 missing before seq 4")]


def test_a_removed_first_record_is_a_gap_too() -> None:
    assert kinds(chained(3)[1:]) == [("gap", 2)]


def test_swapped_records_are_reported_as_reordered() -> None:
    values = chained(4)
    values[1], values[2] = values[2], values[1]
    assert kinds(values) == [("reordered", 3), ("reordered", 2)]


def test_a_record_moved_to_another_partition_is_caught() -> None:
    values = chained(3, partitions=2)
    moved = [Entry(0, i, v) for i, v in enumerate(values[:3])] + [Entry(0, 3, values[3])]
    problems = [p for r in verify(moved).values() for p in r.problems]
    assert [p.kind for p in problems] == ["misplaced", "conflict"]


def test_a_reprocessed_event_is_a_duplicate_not_tampering() -> None:
    chain = AuditChain.fresh(1)
    values = [chain.seal(audit(offset), 0).value for offset in (0, 1, 2, 1, 2, 3)]
    report = verify(entries(values))[0]
    assert report.problems == []
    assert [event for _, event in report.duplicates] == ["evt-0-1", "evt-0-2"]


def test_a_record_delivered_twice_is_a_duplicate_not_tampering() -> None:
    values = chained(3)
    report = verify(entries([values[0], values[1], values[1], values[2]]))[0]
    assert (report.problems, len(report.duplicates), report.last_seq) == ([], 1, 3)


def test_a_second_writer_forking_the_chain_is_a_conflict() -> None:
    first, second = AuditChain.fresh(1), AuditChain.fresh(1)
    values = [first.seal(audit(0), 0).value, second.seal(audit(9), 0).value]
    assert kinds(values) == [("conflict", 1)]


def test_garbage_on_the_audit_topic_is_malformed() -> None:
    assert kinds([*chained(2), b"{not json", b'{"event_id": "x"}']) == [
        ("malformed", None), ("malformed", None)]
