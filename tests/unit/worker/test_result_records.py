"""A decided result's records are built as plain values in their models' field order
(streams/worker/result_records.py, the review item in streams/worker/review_stage.py) and
written without the models: the bytes must be the models' bytes, for the records the pipeline
builds and for generated values (floats in every spelling, integers past 64 bits, lone
surrogates, times in several zones), and the sealed audit record the one sealed from the model."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import streams.worker.pipeline as pipeline_module
from detectors import DetectorEngine
from policies import ActionResult, Decision, HashKey, Outcome, load_policy, shipped_policy_path
from policies.decision import Redaction, SafetyDecision, SourceRef, WithheldOutput
from policies.omission import Omission, OmittedGroup
from sampling import ReviewItem, SamplingKey, SamplingRecord
from streams.audit.chain import AuditChain, Sealed
from streams.config import Topics
from streams.demo_data import generate
from streams.records import AuditRecord, DecisionPayload, FindingSummary, fields_json, to_json_bytes
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline
from streams.worker.result_records import audit_fields, decision_fields, source_fields
from streams.worker.review_stage import ReviewStage
from tests.unit.worker.test_records_unchanged import odd_records

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
KEY = HashKey.from_secret(b"k" * 32)
POLICY = load_policy(shipped_policy_path("default"))


def same_as_model(fields: dict[str, Any], model: type[BaseModel]) -> bytes | None:
    """`fields_json(fields, model)`, after checking it is the model's bytes (or that both
    refuse it: a lone surrogate has no UTF-8 form) and that `fields` (and the nested records
    given as dicts) hold their model's fields in order."""
    assert list(fields) == list(model.model_fields), model
    built = model.model_validate(fields)
    in_field_order(fields, built)
    try:
        expected = to_json_bytes(built)
    except Exception as exc:  # noqa: BLE001 - the same refusal both ways
        with pytest.raises(type(exc)):
            fields_json(fields, model)
        return None
    written = fields_json(fields, model)
    assert written == expected, model
    return written


def in_field_order(fields: dict[str, Any], built: BaseModel) -> None:
    """The nested records given as dicts (a payload, the finding summaries and references)
    hold their model's fields in order, at any depth (the agent's `output` aside)."""
    assert list(fields) == list(type(built).model_fields), type(built)
    for name, value in fields.items():
        nested = getattr(built, name)
        if isinstance(value, dict) and name != "output":
            in_field_order(value, nested)
        elif isinstance(value, tuple):
            for item, nested_item in zip(value, nested, strict=True):
                if isinstance(item, dict):
                    in_field_order(item, nested_item)


class TwinChain(AuditChain):
    """Seals each decision's fields both ways: as the worker does, and from the model."""

    def __init__(self, partitions: int) -> None:
        super().__init__(partitions, AuditChain.fresh(partitions).snapshot())
        self.twin = AuditChain.fresh(partitions)
        self.sealed = 0

    def seal_decision(self, fields: dict[str, Any], source_partition: int) -> Sealed:
        sealed = super().seal_decision(fields, source_partition)
        built = AuditRecord.model_validate(fields)
        in_field_order(fields, built)
        assert sealed == self.twin.seal(built, source_partition)
        self.sealed += 1
        return sealed


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Every record the pipeline writes with `fields_json`, compared with its model's bytes;
    yields how many of each model were compared."""
    counts: dict[str, int] = {}

    def checking(fields: dict[str, Any], model: type[BaseModel]) -> bytes:
        counts[model.__name__] = counts.get(model.__name__, 0) + 1
        return same_as_model(fields, model)

    monkeypatch.setattr(pipeline_module, "fields_json", checking)
    yield counts


def test_every_record_the_pipeline_builds_is_its_models_bytes(checked: dict[str, int]) -> None:
    seen: set[tuple[str, str]] = set()

    def first_time(agent_id: str, action: str) -> bool:
        new = (agent_id, action) not in seen
        seen.add((agent_id, action))
        return new

    pipeline = Pipeline(DetectorEngine(), POLICY, KEY, Topics(inputs=("in",)), "worker-1",
                        review=ReviewStage(lambda _ref: SamplingKey("s1", b"s" * 32),
                                           first_time))
    raws = [RawRecord("in", i % 3, i, r.key.encode(), r.value)
            for i, r in enumerate(generate(300, "records", seed=3, malformed_every=0))]
    raws += [RawRecord("in", 0, 1000 + i, None, value) for i, value in enumerate(odd_records())]
    chain = TwinChain(3)
    emits = pipeline.process(raws, NOW, chain)
    # a failed check fails the record (the pipeline dead-letters it): none may
    assert not [e for e in emits if b"processing_error" in e.value]
    decided = [e for e in emits if e.topic in ("afterguard.released", "afterguard.quarantine")]
    assert checked == {"SafetyDecision": len(decided),
                       "ReviewItem": sum(e.topic == "afterguard.review" for e in emits)}
    assert checked["ReviewItem"] > 10 and chain.sealed == len(decided) > 300
    assert {json.loads(e.value)["decision"] for e in decided} == {"ALLOW", "REDACT",
                                                                   "QUARANTINE"}


# Values as the pipeline has them: the agent's output as json.loads made it, its metadata as
# ActionResult validated it, the rest made by the code.
texts = st.text(max_size=8) | st.sampled_from(["", "\u2028", "\x7f", "\x00\x1f", "\"\\/",
                                               "\U0001f600", "\ud800", "é", '"chain":{'])
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,12}", fullmatch=True)
floats = st.floats() | st.sampled_from([0.0, -0.0, 1.0, 1e-5, 1e-7, 1e16, 1e21, 2.0**53, 0.1])
outputs = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | floats | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children,
                                                                      max_size=3),
    max_leaves=10)
times = st.just(NOW) | st.datetimes(timezones=st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30))]))
redactions = st.lists(st.builds(Redaction, path=texts, entity=texts, reason=texts,
                                action=texts, rule_id=texts), max_size=2).map(tuple)
omissions = st.none() | st.builds(
    Omission, itemised=st.integers(0, 2**40), omitted=st.integers(0, 2**40),
    groups=st.lists(st.builds(OmittedGroup, entity=texts, action=texts, path=texts,
                              count=st.integers(0, 2**40)), max_size=2).map(tuple),
    value_hashes_omitted=st.integers(0, 2**40))
samplings = st.none() | st.builds(
    SamplingRecord, selected=st.booleans(), mandatory_reasons=st.lists(texts).map(tuple),
    stratum=texts, weight=floats, probability=floats, draw=floats, drawn=st.booleans(),
    budget_dropped=st.booleans(), budget_window_start=st.none() | times,
    inclusion_probability=floats, reviewer_group=texts, key_id=texts)
summaries = st.lists(st.builds(
    FindingSummary, entity=texts, path=texts, count=st.integers(0, 2**40), detector=texts,
    rule_id=texts, decision=st.sampled_from(Decision),
    value_hashes=st.lists(texts, max_size=2).map(tuple)).map(lambda summary: dict(
        summary.__dict__)), max_size=2).map(tuple)  # as `summaries` makes them: the fields
results = st.builds(
    lambda job_id, agent_id, action, tenant, trace_id, output: ActionResult.model_validate(
        {"job_id": job_id, "agent_id": agent_id, "action": action, "tenant": tenant,
         "trace_id": trace_id, "output": output}),
    ids, ids, ids, st.none() | ids, st.none() | ids, outputs)
withheld = st.none() | st.builds(
    WithheldOutput, note=texts, source=st.builds(SourceRef, topic=ids, partition=st.integers(
        0, 2**31), offset=st.integers(0, 2**63 - 1)), job_hash=texts,
    record_bytes=st.integers(0, 2**40))
outcomes = st.builds(
    Outcome, decision=st.sampled_from(Decision), output=outputs, redactions=redactions,
    rule_ids=st.lists(texts, max_size=2).map(tuple),
    reasons=st.lists(texts, max_size=2).map(tuple), ruled=st.just(()),
    output_withheld=withheld)
job_hashes = st.binary(max_size=8).map(lambda data: "sha256:" + hashlib.sha256(data).hexdigest())
places = st.builds(RawRecord, topic=ids, partition=st.integers(0, 2**31),
                   offset=st.integers(0, 2**63 - 1), key=st.none(), value=st.none(),
                   schema=st.none())


@settings(max_examples=150, deadline=None)
@given(results, outcomes, redactions, omissions, summaries, omissions, texts, job_hashes, times,
       texts, texts, places, samplings)
def test_generated_records_are_their_models_bytes(
        result: ActionResult, outcome: Outcome, listed: tuple[Redaction, ...],
        listed_omitted: Omission | None, found: tuple[dict[str, Any], ...],
        found_omitted: Omission | None, snapshot: str, job_hash: str, now: datetime,
        decider: str, key_id: str, place: RawRecord, sampled: SamplingRecord | None) -> None:
    source = source_fields(place)
    same_as_model(decision_fields(result, outcome, listed, listed_omitted, snapshot, job_hash,
                                  now, source), SafetyDecision)
    audit = audit_fields(result, outcome, snapshot, job_hash, now, decider, key_id, place,
                         source, sampled, (listed, listed_omitted), (found, found_omitted))
    assert list(audit["payload"]) == list(DecisionPayload.model_fields)
    same_as_model(audit, AuditRecord)
    try:
        expected = AuditChain.fresh(1).seal(AuditRecord.model_validate(audit), 0)
    except Exception as exc:  # noqa: BLE001 - a lone surrogate, NaN: refused both ways
        with pytest.raises(type(exc)):
            AuditChain.fresh(1).seal_decision(audit, 0)
    else:
        assert AuditChain.fresh(1).seal_decision(audit, 0) == expected
    if sampled is not None:
        stage = ReviewStage(None, lambda _agent, _action: False)
        same_as_model(stage.review_item(result, job_hash, outcome, sampled,
                                        POLICY, KEY, now,
                                        place, None, (listed, listed_omitted)), ReviewItem)
