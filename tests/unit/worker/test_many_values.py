"""A result whose output is very many tiny values (`["", "", ...]`: 250,000 of them in 1 MB) cost
the scan about 90 MB of resident memory each, all held at once for a whole batch: a poll of twenty
took 2 GB and more, and a worker that died of it restarted on the same poll. Such a result is
quarantined unscanned (`too_many_values`, limits.max_values) after a count that costs nothing for
honest records, and a batch is scanned in runs of bounded values. (A result of more than twice
`max_values` values is not even parsed now: a dead letter, tests/unit/worker/
test_many_containers.py; the results here are within that.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policies.sections.limits import Limits
from streams.worker.scan_budget import scan_results
from streams.worker.value_count import count_values, output_values, values_bound
from tests.unit.worker.test_many_findings import roomy_default_policy
from tests.unit.worker.test_pipeline import NOW, by_topic, pipeline, record

TINY = [""] * 39_000  # over max_values (20,000), within what the parser takes (40,000)


def peak_rss_growth(run: Any) -> tuple[int, Any]:
    """The growth of this process's peak resident memory (bytes) while `run()` runs (Linux)."""
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs Linux /proc to read the peak resident memory")

    def kb(field: str) -> int:
        line = next(s for s in status.read_text().splitlines() if s.startswith(field))
        return int(line.split()[1]) * 1024

    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from now
    before = kb("VmHWM:")
    out = run()
    return kb("VmHWM:") - before, out


def test_a_poll_of_results_of_many_tiny_values_is_decided_within_bounded_memory() -> None:
    worker = pipeline()
    worker.process([record(0, "warm up")], NOW)
    batch = [record(offset, TINY) for offset in range(1, 21)]
    batch.insert(10, record(99, {"reply": "an honest result in the same poll"}))
    grown, emits = peak_rss_growth(lambda: worker.process(batch, NOW))
    out = by_topic(emits)
    # 250,000 of them on main 01c30b3: about 90 MB a record, all at once (1.8 GB for twenty)
    assert grown < 300 * 2**20, f"peak resident memory grew {grown / 2**20:.0f} MB"
    held = [(d["job_id"], d["decision"], d["reasons"]) for d in out["afterguard.quarantine"]]
    assert held == [(f"j{o}", "QUARANTINE", ["too_many_values"]) for o in range(1, 21)]
    assert json.loads(json.dumps(out["afterguard.quarantine"][0]["output"])) == TINY
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j99"]
    audited = {a["job_id"]: a["payload"]["reasons"] for a in out["afterguard.audit"]}
    assert audited == {**{f"j{o}": ["too_many_values"] for o in range(1, 21)}, "j99": []}
    reviewed = {i["job_id"] for i in out.get("afterguard.review", [])}
    assert {f"j{o}" for o in range(1, 21)} <= reviewed, "each is sent for human review"


def test_the_limit_is_the_policys_and_counts_values_and_keys() -> None:
    # a roomy scan budget: 20,000 values took over the default 2 s at load average 14
    worker = pipeline(policy=roomy_default_policy())
    assert worker.policy.policy.limits.max_values == 20_000
    at_limit = [{"k": i} for i in range(6_666)]  # 1 + 6,666 objects + 6,666 keys + 6,666 numbers
    assert count_values(at_limit, 10**9) == 19_999
    over = at_limit + [{"k": 1}]
    out = by_topic(worker.process([record(1, at_limit), record(2, over)], NOW))
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j1"]
    assert [(d["job_id"], d["reasons"]) for d in out["afterguard.quarantine"]] == [
        ("j2", ["too_many_values"])]


def test_commas_and_colons_inside_strings_do_not_count() -> None:
    text = "a, b: c, " * 12_000  # one string of 108 KB: one value, scanned as usual
    raw = record(1, {"csv": text, "ssn": "457-55-5462"})
    assert values_bound(raw.value or b"") > 20_000
    assert output_values(raw.value, {"csv": text, "ssn": "457-55-5462"}, 20_000) == 5
    decision = by_topic(pipeline().process([raw], NOW))["afterguard.released"][0]
    assert "457-55-5462" not in json.dumps(decision), "scanned and redacted, not quarantined"


def test_the_byte_bound_never_undercounts() -> None:
    outputs: list[Any] = [[], {}, "", 0, [[]], [[], [[]]], {"a": {"b": [1, 2, {}]}}, [None, True, {"": ""}],
                          {"k": [{"x": "1,2:3"}, []]}]
    for output in outputs:
        text = json.dumps({"job_id": "j", "output": output}).encode()
        assert values_bound(text) >= count_values(output, 10**9), output


def test_a_batch_is_scanned_in_runs_of_bounded_values() -> None:
    engine = pipeline().engine
    seen: list[int] = []
    scan_each = engine.scan_each

    def counting(values: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(values))
        return scan_each(values, *args, **kwargs)

    engine.scan_each = counting  # type: ignore[method-assign]
    results = [pipeline()._decode(record(i, ["x"] * 40), Limits()).result  # type: ignore[union-attr]
               for i in range(10)]
    outcomes = scan_results(engine, results, 2.0, lambda: 0.0, [41] * 10, 100)
    assert seen == [2, 2, 2, 2, 2] and len(outcomes) == 10
    seen.clear()
    scan_results(engine, results[:3], 2.0, lambda: 0.0, [500, 1, 1], 100)
    assert seen == [1, 2], "a result over the run's size is a run of its own"


def test_framed_records_are_counted_on_their_output() -> None:
    assert output_values(b"\x00\x00\x00\x00\x01", [""] * 50, 40, framed=True) == 41
