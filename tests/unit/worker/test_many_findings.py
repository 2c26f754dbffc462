"""No number of findings keeps a result out of audit and review. A result padded with thousands
of findings is decided like any other: its records itemise the first findings and redactions
and summarise the rest (policies/omission.py), every record fits its topic, the audit record
verifies and loads into the warehouse. A decision that would be released but does not fit the
released topic (redaction made the output larger) is held for review by reference instead, with
the reason `output_too_large`. Before, both were dead-lettered: no audit record, no review."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import Decision, HashKey, shipped_policy_path
from policies.decision import Redaction
from policies.loader import LoadedPolicy, parse_policy
from streams.audit.chain import AuditChain
from streams.audit.duckdb_store import DuckDBWarehouse
from streams.audit.sink import AuditSink
from streams.audit.verify import Entry, verify
from streams.config import Topics
from streams.deadletter.sealing import DeadLetterKey
from streams.records import DecisionPayload, FindingSummary
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.list_bounds import RecordBounds
from streams.worker.output_limits import BROKER_DEFAULT, OutputLimits
from streams.worker.pipeline import Emit, Pipeline
from streams.worker.review_stage import ReviewStage
from tests.unit.audit.records import audit
from tests.unit.audit.test_sink import FakeConsumer

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TOPICS = Topics(inputs=("in",))
MB = 1024 * 1024
OUTPUTS = (TOPICS.quarantine, TOPICS.deadletter, TOPICS.released, TOPICS.audit, TOPICS.review)
# As a broker with default settings has them, the input topic raised to 8 MB.
LIMITS = OutputLimits(16 * MB, {"in": 8 * MB, **dict.fromkeys(OUTPUTS, BROKER_DEFAULT)})
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"


def emails(count: int) -> list[str]:
    """Short, distinct addresses (made up): each becomes a longer placeholder when redacted."""
    return [f"q{i}@zx{i % 7}.io" for i in range(count)]


def roomy_default_policy() -> LoadedPolicy:
    """The default policy with a scan budget a loaded CI machine cannot overrun: thousands of
    findings take over a second to scan there, and a result past the budget is held without
    its lists (detector_timeout), which is not what these tests are about."""
    text = shipped_policy_path("default").read_text()
    assert "scan_timeout_ms: 2000" in text
    return parse_policy(text.replace("scan_timeout_ms: 2000", "scan_timeout_ms: 120000"),
                        "default-roomy-budget.yaml")


def decider(limits: OutputLimits = LIMITS) -> BatchDecider:
    first_seen = FirstSeen()
    pipeline = Pipeline(DetectorEngine(), roomy_default_policy(),
                        HashKey.from_secret(b"k" * 32), TOPICS, "worker-1",
                        review=ReviewStage(None, first_seen.mark),
                        deadletter_key=DeadLetterKey(b"d" * 32))
    return BatchDecider(pipeline, first_seen, limits)


def raw(offset: int, job_id: str, output: Any) -> RawRecord:
    value = json.dumps({"job_id": job_id, "agent_id": "agent-pad", "action": "job.support.x",
                        "output": output}).encode()
    return RawRecord("in", 0, offset, job_id.encode(), value)


def by_topic(emits: list[Emit], limits: OutputLimits = LIMITS) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for emit in emits:
        assert limits.fits(emit), f"a {len(emit.value)}-byte record over the limit of {emit.topic}"
        out.setdefault(emit.topic, []).append(json.loads(emit.value))
    return out


def audit_values(emits: list[Emit]) -> list[bytes]:
    return [e.value for e in emits if e.topic == TOPICS.audit]


def test_a_result_with_thousands_of_findings_is_quarantined_audited_and_reviewed() -> None:
    addresses = emails(8_000)
    padded = raw(1, "padded", {"note": " ".join(addresses), "key": AWS_KEY})
    assert 100_000 < len(padded.value or b"") < 130_000
    emits = decider().decide([padded, raw(2, "plain", {"reply": "done"})], NOW,
                             AuditChain.fresh(1))
    out = by_topic(emits)
    assert TOPICS.deadletter not in out  # before: dead-lettered, nothing audited
    [hold] = out[TOPICS.quarantine]
    assert hold["job_id"] == "padded" and hold["decision"] == "QUARANTINE"
    assert [d["job_id"] for d in out[TOPICS.released]] == ["plain"]

    audits = {a["job_id"]: a for a in out[TOPICS.audit]}
    assert list(audits) == ["padded", "plain"]
    payload = audits["padded"]["payload"]
    assert payload["decision"] == "QUARANTINE"
    cut = payload["redactions_omitted"]
    assert cut["itemised"] == len(payload["redactions"]) > 0
    assert cut["itemised"] + cut["omitted"] == 8_000
    assert sum(g["count"] for g in cut["groups"]) == cut["omitted"]
    assert [(g["entity"], g["path"]) for g in cut["groups"]] == [("EMAIL_ADDRESS", "note")]
    findings = {f["entity"]: f for f in payload["findings"]}
    assert findings["EMAIL_ADDRESS"]["count"] == 8_000  # counted, its hashes cut short
    assert payload["findings_omitted"]["value_hashes_omitted"] == (
        8_000 - len(findings["EMAIL_ADDRESS"]["value_hashes"]))
    assert audits["plain"]["payload"]["redactions_omitted"] is None  # short lists: whole
    assert hold["redactions_omitted"] == cut

    [item] = out[TOPICS.review]
    assert item["job_id"] == "padded" and "quarantined" in item["sampling"]["mandatory_reasons"]
    assert item["findings_omitted"]["itemised"] == len(item["findings"])
    assert item["findings_omitted"]["itemised"] + item["findings_omitted"]["omitted"] == 8_001

    reports = verify(Entry(0, n, v) for n, v in enumerate(audit_values(emits)))
    assert [(r.checked, r.problems) for r in reports.values()] == [(2, [])]
    for record in (*out[TOPICS.audit], item):  # neither audit nor reviewers see a value
        text = json.dumps(record)
        assert AWS_KEY not in text
        assert not any(address in text for address in addresses[::97])


def test_a_redacted_output_larger_than_the_released_topic_is_held_not_released() -> None:
    # The input topic and the released topic take the same size; redaction makes the output
    # about twice as large (each short address becomes a longer placeholder).
    limits = OutputLimits(16 * MB, {"in": 200_000, **dict.fromkeys(OUTPUTS, BROKER_DEFAULT),
                                    TOPICS.released: 200_000})
    grown = raw(7, "grown", {"note": " ".join(emails(9_000))})
    assert len(grown.value or b"") < limits.limit("in")
    emits = decider(limits).decide([grown], NOW, AuditChain.fresh(1))
    out = by_topic(emits, limits)
    assert TOPICS.released not in out and TOPICS.deadletter not in out
    [hold] = out[TOPICS.quarantine]
    assert hold["decision"] == "QUARANTINE" and hold["reasons"] == ["output_too_large"]
    assert hold["output"] is None
    assert hold["output_withheld"]["source"] == {"topic": "in", "partition": 0, "offset": 7}
    [audit] = out[TOPICS.audit]
    assert audit["payload"]["decision"] == "QUARANTINE"
    assert audit["payload"]["reasons"] == ["output_too_large"]
    assert audit["payload"]["rule_ids"] == hold["rule_ids"] != []  # what it would have been
    [item] = out[TOPICS.review]
    assert item["reasons"] == ["output_too_large"]
    [report] = verify(Entry(0, n, v) for n, v in enumerate(audit_values(emits))).values()
    assert report.problems == []


def test_the_lists_are_bounded_by_the_smallest_topic_limit() -> None:
    small = OutputLimits(16 * MB, {"in": 8 * MB, **dict.fromkeys(OUTPUTS, BROKER_DEFAULT),
                                   TOPICS.audit: 64 * 1024})
    emits = decider(small).decide([raw(3, "padded", {"rows": [{"email": a} for a in
                                                               emails(3_000)]})],
                                  NOW, AuditChain.fresh(1))
    out = by_topic(emits, small)
    assert TOPICS.deadletter not in out
    [audit] = out[TOPICS.audit]
    payload = audit["payload"]
    assert len(payload["redactions"]) <= 64 * 1024 // 8 // 128
    assert payload["findings_omitted"]["omitted"] > 0  # 3,000 paths: one finding each
    groups = payload["findings_omitted"]["groups"]
    assert [(g["entity"], g["path"]) for g in groups] == [("EMAIL_ADDRESS", "rows[*].email")]


def test_a_bounded_audit_record_loads_into_the_warehouse(tmp_path: Path) -> None:
    emits = decider().decide([raw(1, "padded", {"note": " ".join(emails(5_000))})], NOW,
                             AuditChain.fresh(1))
    table = DuckDBWarehouse(tmp_path / "audit.duckdb")
    sink = AuditSink(FakeConsumer(audit_values(emits)), table)
    asyncio.run(sink.run(max_seconds=0.5))
    assert (sink.stats.inserted, sink.stats.conflicts) == (1, 0)
    [(stored,)] = table.db.execute("SELECT record FROM afterguard_audit").fetchall()
    assert json.loads(stored)["payload"]["redactions_omitted"]["omitted"] > 0


@pytest.mark.parametrize("limit", [BROKER_DEFAULT - 512, 256 * 1024, 64 * 1024, 16 * 1024])
def test_the_worst_lists_an_agent_can_shape_take_at_most_half_of_the_limit(limit: int) -> None:
    # Every key a different run of control characters (6 bytes each in JSON), so no two
    # entries share a path pattern and each itemised entry is as large as it can be.
    bounds = RecordBounds.for_limit(limit)
    ugly = "\x01" * 300

    def path(i: int) -> str:
        return f'$["{ugly}{i}"]'

    redactions = tuple(Redaction(path=path(i), entity=f"E{i % 90}" + ugly, reason="r",
                                 action=f"a{i % 3}" + ugly, rule_id="x") for i in range(6_000))
    findings = tuple(FindingSummary(entity=f"E{i % 90}" + ugly, path=path(i), count=200,
                                    detector="d", rule_id="x", decision=Decision.REDACT,
                                    value_hashes=("0123456789abcdef",) * 200).__dict__
                     for i in range(6_000))  # as the pipeline builds them: the fields
    listed, listed_cut = bounds.redactions(redactions)
    found, found_cut = bounds.findings(findings)
    assert listed_cut is not None and found_cut is not None
    assert listed_cut.itemised + listed_cut.omitted == 6_000
    assert sum(g.count for g in listed_cut.groups) == listed_cut.omitted
    record = audit(1, payload=DecisionPayload(
        decision=Decision.REDACT, rule_ids=("x",), reasons=(), redactions=listed,
        findings=found, redactions_omitted=listed_cut, findings_omitted=found_cut))
    sealed = AuditChain.fresh(1).seal(record, 0).value
    assert len(sealed) - len(AuditChain.fresh(1).seal(audit(1), 0).value) <= limit // 2


class CountsPasses(Pipeline):
    """Counts the passes over records (each pass scans its records again)."""

    passes: list[int]

    def process(self, batch: Sequence[RawRecord], now: datetime,
                chain: AuditChain | None = None,
                withhold: Mapping[tuple[str, int, int], str] | None = None) -> list[Emit]:
        self.passes.append(len(batch))
        return super().process(batch, now, chain, withhold)


def test_a_grown_result_costs_its_batch_one_more_pass_not_one_per_record() -> None:
    limits = OutputLimits(16 * MB, {"in": 200_000, **dict.fromkeys(OUTPUTS, BROKER_DEFAULT),
                                    TOPICS.released: 200_000})
    first_seen = FirstSeen()
    pipeline = CountsPasses(DetectorEngine(), roomy_default_policy(),
                            HashKey.from_secret(b"k" * 32), TOPICS, "worker-1",
                            review=ReviewStage(None, first_seen.mark))
    pipeline.passes = []
    batch = [raw(offset, f"ok-{offset}", {"reply": "done"}) for offset in range(10)]
    batch.insert(4, raw(50, "grown", {"note": " ".join(emails(9_000))}))
    out = by_topic(BatchDecider(pipeline, first_seen, limits).decide(batch, NOW,
                                                                      AuditChain.fresh(1)), limits)
    assert pipeline.passes == [11, 11]  # before: 11, then 1 for each of the 11 records
    assert sorted(d["job_id"] for d in out[TOPICS.released]) == sorted(
        f"ok-{offset}" for offset in range(10))
    [hold] = out[TOPICS.quarantine]
    assert hold["job_id"] == "grown" and hold["reasons"] == ["output_too_large"]
    assert [a["job_id"] for a in out[TOPICS.audit]] == [r.key.decode() for r in batch if r.key]
