"""Records the code builds are written by orjson from their fields (streams/records.py
`to_json_bytes`): the bytes must be `model_dump_json`'s for every record, whatever its output
holds, and a model whose JSON is not its fields must take pydantic's path."""

from __future__ import annotations

import enum
import types
import typing
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

from policies import Decision
from policies.decision import Redaction, SafetyDecision, SourceRef
from sampling import FindingRef, ReviewItem, SamplingRecord
from streams.deadletter.sealing import SealedBytes
from streams.records import AuditRecord, DeadLetter, DecisionPayload, FindingSummary, to_json_bytes

texts = st.text(max_size=10) | st.sampled_from(["", "\u2028", "\x7f", "\x00\x1f", "\"\\/",
                                                "\U0001f600", "\ud800", "é", "\ufeff"])
floats = st.floats() | st.sampled_from([0.0, -0.0, 1.0, 1e-5, 1e-7, 1e16, 1e21, 2.0**53,
                                        5e-324, 0.1 + 0.2])
integers = st.integers(-(2**63), 2**64 - 1) | st.integers()
# What an agent's output holds after json.loads (and redaction: strings).
outputs = st.recursive(
    st.none() | st.booleans() | integers | floats | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children,
                                                                      max_size=3),
    max_leaves=12)
times = st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                                                timezone(-timedelta(hours=8))])) | st.datetimes()
sources = st.none() | st.builds(SourceRef, topic=texts, partition=st.integers(0, 2**31),
                                offset=st.integers(0, 2**63 - 1))
redactions = st.lists(st.builds(Redaction, path=texts, entity=texts, reason=texts, action=texts,
                                rule_id=texts), max_size=2).map(tuple)
samplings = st.builds(
    SamplingRecord, selected=st.booleans(), mandatory_reasons=st.lists(texts).map(tuple),
    stratum=texts, weight=floats, probability=floats, draw=floats, drawn=st.booleans(),
    budget_dropped=st.booleans(), budget_window_start=st.none() | times,
    mandatory_over_budget=st.booleans(), inclusion_probability=floats, reviewer_group=texts,
    key_id=texts)
decisions = st.builds(
    SafetyDecision, job_id=texts, agent_id=texts, action=texts, tenant=st.none() | texts,
    trace_id=st.none() | texts, decision=st.sampled_from(Decision), output=outputs,
    redactions=redactions, rule_ids=st.lists(texts).map(tuple),
    reasons=st.lists(texts).map(tuple), policy_snapshot=texts, job_hash=texts,
    decided_at=times, source=sources)
items = st.builds(
    ReviewItem, item_id=texts, job_id=texts, agent_id=texts, action=texts,
    tenant=st.none() | texts, risk_tags=st.lists(texts).map(tuple),
    amount_usd=st.none() | floats, affected_users=st.none() | integers,
    decision=st.sampled_from(Decision), output=outputs, redactions=redactions,
    findings=st.lists(st.builds(FindingRef, entity=texts, path=texts, detector=texts,
                                rule_id=texts), max_size=2).map(tuple),
    rule_ids=st.lists(texts).map(tuple), reasons=st.lists(texts).map(tuple), sampling=samplings,
    policy_snapshot=texts, job_hash=texts, decided_at=times, source=sources,
    trace_id=st.none() | texts)
letters = st.builds(
    DeadLetter, error=st.sampled_from(["not_json", "evidence_contract"]), reason=texts,
    source=sources, key_b64=st.none() | texts, received_at=times, worker_id=texts,
    key_sealed=st.none() | st.builds(SealedBytes, key_id=texts, nonce_b64=texts,
                                     ciphertext_b64=texts),
    value_bytes=st.none() | integers,
    rejected_record=st.none() | st.dictionaries(texts, outputs, max_size=3))
audits = st.builds(
    AuditRecord, event_id=texts, event_type=st.just("decision"), job_id=texts, agent_id=texts,
    action=texts, tenant=st.none() | texts, trace_id=st.none() | texts, policy_snapshot=texts,
    job_hash=texts, decision_ts=times, decider=texts, hash_key_id=texts, source=sources,
    sampling=st.none() | samplings,
    payload=st.builds(DecisionPayload, decision=st.sampled_from(Decision),
                      rule_ids=st.lists(texts).map(tuple), reasons=st.lists(texts).map(tuple),
                      redactions=redactions,
                      findings=st.lists(st.builds(
                          FindingSummary, entity=texts, path=texts, count=integers,
                          detector=texts, rule_id=texts, decision=st.sampled_from(Decision),
                          value_hashes=st.lists(texts).map(tuple)), max_size=2).map(tuple)))


def pydantic_json(record: BaseModel) -> bytes | str:
    try:
        return record.model_dump_json().encode()
    except Exception as exc:  # noqa: BLE001 - a lone surrogate: both paths must refuse it
        return type(exc).__name__


def fast_json(record: BaseModel) -> bytes | str:
    try:
        return to_json_bytes(record)
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__


@settings(max_examples=600, deadline=None)
@given(record=decisions | items | letters | audits)
def test_records_are_written_as_model_dump_json_writes_them(record: BaseModel) -> None:
    assert fast_json(record) == pydantic_json(record)


class Renamed(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str = Field(serialization_alias="label")


class Serialized(BaseModel):
    when: datetime

    @field_serializer("when")
    def _day(self, value: datetime) -> str:
        return value.date().isoformat()


class Computed(BaseModel):
    a: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def double(self) -> int:
        return 2 * self.a


class Hidden(BaseModel):
    shown: str
    secret: str = Field(exclude=True)


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: int


class Other(BaseModel):
    span: timedelta
    raw: bytes
    tags: frozenset[str]


def test_a_model_whose_json_is_not_its_fields_is_written_by_pydantic() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    for record in (Renamed(name="x"), Serialized(when=now), Computed(a=2),
                   Hidden(shown="s", secret="never written"), Open(a=1, extra="kept"),
                   Other(span=timedelta(seconds=90), raw=b"\x00ab", tags=frozenset({"a"})),
                   SafetyDecision(job_id="j", agent_id="a", action="x", decision=Decision.ALLOW,
                                  output={"n": 2**70, "v": [Renamed(name="y")]},
                                  policy_snapshot="p", job_hash="h", decided_at=now)):
        assert to_json_bytes(record) == record.model_dump_json().encode(), record


WRITTEN = (SafetyDecision, ReviewItem, DeadLetter, AuditRecord)


def _leaves(annotation: Any, seen: set[type]) -> None:
    """Fails on a field type whose JSON the test above does not cover."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, typing.Annotated, dict):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis and not isinstance(arg, (str, int)) and \
                    not hasattr(arg, "discriminator"):
                _leaves(arg, seen)
        return
    if origin is typing.Literal or annotation is Any:
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for field in annotation.model_fields.values():
                _leaves(field.annotation, seen)
        return
    assert annotation in (str, int, float, bool, datetime, type(None)) or (
        isinstance(annotation, type) and issubclass(annotation, enum.Enum)), annotation


def test_the_records_written_hold_only_types_the_comparison_covers() -> None:
    seen: set[type] = set()
    for model in WRITTEN:
        _leaves(model, seen)
    assert {SamplingRecord, Redaction, SourceRef, FindingRef, SealedBytes, DecisionPayload,
            FindingSummary} <= seen
