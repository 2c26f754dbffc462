"""A record of very many values the parser would make objects of: 1 MB of `[[],[],...]` or
`[{},{},...]` is 330,000 lists or dicts, about 22 MB held per record once parsed (90 MB at the
parse's peak), and a poll holds twenty. The values were counted only on the parsed result, so
each such record was parsed first and quarantined after. Now a record whose JSON holds more
than twice `limits.max_values` values and keys (counted on its bytes, strings blanked) is a
dead letter `too_many_values`, never parsed; one a little over the limit is still quarantined."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.worker.codec import Rejected, decode
from streams.worker.json_shape import exact_excess, excess, values_in
from streams.worker.value_count import count_values, values_bound
from tests.unit.worker.test_many_findings import roomy_default_policy
from tests.unit.worker.test_many_values import peak_rss_growth
from tests.unit.worker.test_pipeline import NOW, by_topic, pipeline, record

MB_OF = {  # about 1 MB of JSON text each: within max_payload_bytes
    "empty lists": "[" + ",".join(["[]"] * 330_000) + "]",
    "empty objects": "[" + ",".join(["{}"] * 330_000) + "]",
    "empty strings": "[" + ",".join(['""'] * 330_000) + "]",
    "nulls": "[" + ",".join(["null"] * 200_000) + "]",
    "trues": "[" + ",".join(["true"] * 200_000) + "]",
    "floats": "[" + ",".join(["1.5"] * 250_000) + "]",
    "objects of a number": "[" + ",".join(['{"k":1}'] * 120_000) + "]",
}


def raw_record(offset: int, output_text: str) -> Any:
    return record(offset, None).__class__(
        "in", 0, offset, f"j{offset}".encode(),
        (f'{{"job_id": "j{offset}", "agent_id": "a", "action": "job.support.x", '
         f'"output": {output_text}}}').encode())


@pytest.mark.parametrize("shape", list(MB_OF))
def test_a_record_of_many_values_is_a_dead_letter_without_being_parsed(shape: str) -> None:
    raw = raw_record(1, MB_OF[shape])
    tracemalloc.start()
    try:
        outcome = decode(raw)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, Rejected) and outcome.error == "too_many_values"
    assert "40000" in outcome.reason and "max_values" in outcome.reason
    # parsed, it held about 22 MB and peaked at about 90 MB; counted on its bytes (the strings
    # blanked, the depth summed), it holds nothing and peaks at a few copies of them
    assert held < 2**20, f"decoding left {held / 2**20:.0f} MB held"
    assert peak < 32 * 2**20, f"decoding peaked at {peak / 2**20:.0f} MB"


def test_a_poll_of_such_records_is_decided_within_bounded_memory() -> None:
    worker = pipeline()
    worker.process([record(0, "warm up")], NOW)
    shapes = list(MB_OF.values())
    batch = [raw_record(offset, shapes[offset % len(shapes)]) for offset in range(1, 21)]
    batch.insert(10, record(99, {"reply": "an honest result in the same poll"}))
    grown, emits = peak_rss_growth(lambda: worker.process(batch, NOW))
    out = by_topic(emits)
    assert grown < 120 * 2**20, f"peak resident memory grew {grown / 2**20:.0f} MB"
    letters = out["afterguard.deadletter"]
    assert [d["error"] for d in letters] == ["too_many_values"] * 20
    assert [d["source"]["offset"] for d in letters] == list(range(1, 21))
    assert [d["job_id"] for d in out["afterguard.released"]] == ["j99"]
    assert "afterguard.quarantine" not in out


def test_the_parser_takes_up_to_twice_max_values_and_a_result_over_max_values_is_quarantined(
        ) -> None:
    # the record: its object, 4 keys, 3 strings and the output's values
    at_ceiling = record(1, [[]] * 39_991)
    over_ceiling = record(2, [[]] * 39_992)
    assert values_in(at_ceiling.value or b"") == 40_000
    out = by_topic(pipeline().process([at_ceiling, over_ceiling], NOW))
    assert [(d["job_id"], d["reasons"]) for d in out["afterguard.quarantine"]] == [
        ("j1", ["too_many_values"])]
    assert [d["error"] for d in out["afterguard.deadletter"]] == ["too_many_values"]


def test_strings_full_of_commas_and_brackets_are_one_value_each() -> None:
    text = "[], {}, a: b, " * 20_000  # 280 KB in one string: one value
    raw = record(1, {"csv": text, "ssn": "457-55-5462"})
    assert values_bound(raw.value or b"") > 40_000
    assert values_in(raw.value or b"") == 13  # 1 + 4 keys + 3 + (1 + 2 + 2)
    # scanning the 280 KB string takes 0.4-0.7 s of CPU, over the default policy's 2 s budget
    # of wall-clock time on a loaded machine (then held as detector_timeout): a roomy budget
    worker = pipeline(policy=roomy_default_policy())
    decision = by_topic(worker.process([raw], NOW))["afterguard.released"][0]
    assert "457-55-5462" not in json.dumps(decision), "parsed, scanned and redacted"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet='[]{},:"\\ ab', max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(alphabet='[]{},:"\\ ab', max_size=4), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=500, deadline=None)
@given(value=json_values, indent=st.sampled_from([None, 0, 2]))
def test_the_count_on_the_bytes_is_the_parsed_count(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent).encode()
    assert values_in(text) == count_values(value, 10**9) <= values_bound(text)


json_bytes = st.lists(st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"\\", b"1", b",", b":",
                                       b"a", b" ", b"[]", b"{}", b"\\\""]),
                      max_size=80).map(b"".join)


@settings(max_examples=1000, deadline=None)
@given(text=json_bytes | st.binary(max_size=60), values=st.integers(1, 12))
def test_the_fast_check_says_what_the_skeleton_says(text: bytes, values: int) -> None:
    assert excess(text, 200, 200, values) == exact_excess(text, 200, 200, values)
