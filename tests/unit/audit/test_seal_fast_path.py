"""Sealing a decision's audit record skips the generic normaliser (streams/audit/chain.py): the
bytes must stay the RFC 8785 form of the record, whatever its strings and sampling floats, and
the models must keep what that shortcut rests on (only field names as keys, no floats but the
sampling record's)."""

from __future__ import annotations

import enum
import json
import math
import types
import typing
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from policies import Decision
from policies.decision import Redaction
from policies.omission import Omission, OmittedGroup
from sampling import SamplingRecord
from streams.audit.canonical import _encode
from streams.audit.chain import SAMPLING_FLOATS, AuditChain, _plain_sampling, record_hash
from streams.records import AuditRecord, DecisionPayload, FindingSummary, SourceRef
from tests.unit.audit.records import audit

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

texts = st.text(max_size=12) | st.sampled_from(["", "\u2028", "\x7f", "\x00\x1f", "\"\\/",
                                                "\U0001f600", "\ud800", "é",
                                                # the link the seal writes its hash into
                                                '"chain":{', '","chain":{"hash":"x",'])
floats = (st.floats(min_value=0.0, max_value=1.0)
          | st.floats(allow_nan=False, allow_infinity=False)
          | st.sampled_from([0.0, -0.0, 1.0, 3.0, 1e-4, 9.99e-5, 1e-7, 0.06, 2.0**53, 1e16,
                             1e21, 0.1 + 0.2]))
names = st.text(alphabet="abc-_.", min_size=1, max_size=6)
# UTC (as the worker stamps records), other offsets and naive times: orjson writes them from the
# fields as pydantic's JSON mode does
times = st.just(NOW) | st.datetimes(timezones=st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30))])) | st.datetimes()


# a list cut short (policies/omission.py): counts and groups of free-text names and paths
omissions = st.builds(Omission, itemised=st.integers(0, 2**40), omitted=st.integers(0, 2**40),
                      groups=st.lists(st.builds(OmittedGroup, entity=texts, action=texts,
                                                path=texts, count=st.integers(0, 2**40)),
                                      max_size=2).map(tuple),
                      value_hashes_omitted=st.integers(0, 2**40))


@st.composite
def decision_records(draw: st.DrawFn) -> AuditRecord:
    sampling = None
    if draw(st.booleans()):
        sampling = SamplingRecord(
            selected=draw(st.booleans()), mandatory_reasons=tuple(draw(st.lists(texts,
                                                                                max_size=2))),
            stratum=draw(texts), weight=draw(floats), probability=draw(floats),
            draw=draw(floats), drawn=draw(st.booleans()), budget_dropped=draw(st.booleans()),
            budget_window_start=draw(st.none() | times),
            mandatory_over_budget=draw(st.booleans()), inclusion_probability=draw(floats),
            reviewer_group=draw(texts), key_id=draw(texts))
    findings = tuple(FindingSummary(
        entity=draw(names), path=draw(texts), count=draw(st.integers(0, 2**70)),
        detector=draw(texts), rule_id=draw(texts), decision=draw(st.sampled_from(Decision)),
        value_hashes=tuple(draw(st.lists(texts, max_size=3))))
        for _ in range(draw(st.integers(0, 2))))
    redactions = tuple(Redaction(path=draw(texts), entity=draw(names), reason=draw(texts),
                                 action=draw(names), rule_id=draw(texts))
                       for _ in range(draw(st.integers(0, 2))))
    return AuditRecord(
        event_id=draw(texts), event_type="decision", job_id=draw(texts), agent_id=draw(texts),
        action=draw(texts), tenant=draw(st.none() | texts), trace_id=draw(st.none() | texts),
        policy_snapshot=draw(texts), job_hash=draw(texts), decision_ts=draw(times), decider=draw(texts),
        hash_key_id=draw(texts),
        source=draw(st.none() | st.builds(SourceRef, topic=texts,
                                          partition=st.integers(0, 2**31),
                                          offset=st.integers(0, 2**63 - 1))),
        payload=DecisionPayload(decision=draw(st.sampled_from(Decision)),
                                rule_ids=tuple(draw(st.lists(texts, max_size=2))),
                                reasons=tuple(draw(st.lists(texts, max_size=2))),
                                redactions=redactions, findings=findings,
                                redactions_omitted=draw(st.none() | omissions),
                                findings_omitted=draw(st.none() | omissions)),
        sampling=sampling)


def exact(value: Any) -> bytes:
    return "".join(_encode(value)).encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(decision_records())
def test_a_sealed_decision_is_the_canonical_form_of_the_record(record: AuditRecord) -> None:
    chain = AuditChain.fresh(1)
    try:
        expected = exact({**record.model_dump(mode="json", exclude={"chain"}),
                          "chain": {"partition": 0, "seq": 1, "prev_hash": "x"}})
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 form on either path
        return
    assert expected  # the exact encoder takes it
    sealed = chain.seal(record, 0)
    written = json.loads(sealed.value)
    assert sealed.value == exact(written)
    # what is written is the record as pydantic's JSON mode has it (times, enums, models)
    assert exact({key: value for key, value in written.items() if key != "chain"}) == exact(
        record.model_dump(mode="json", exclude={"chain"}))
    assert written["chain"]["hash"] == record_hash(written)


def _leaf_types(annotation: Any, seen: set[type]) -> list[tuple[type, str]]:
    """(model, field) of every float field below `annotation`, failing on a field whose object
    keys would not be field names (a dict, Any)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, typing.Annotated):
        found = []
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis and not isinstance(arg, (str, int)):
                found += _leaf_types(arg, seen)
        return found
    if origin is typing.Literal:
        return []
    assert annotation is not Any and origin is not dict and annotation is not dict, annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return []
        seen.add(annotation)
        floats = []
        for name, field in annotation.model_fields.items():
            if field.annotation in (float, float | None):
                floats.append((annotation, name))
            else:
                floats += _leaf_types(field.annotation, seen)
        return floats
    assert annotation in (str, int, bool, datetime, type(None)) or (
        isinstance(annotation, type) and issubclass(annotation, enum.Enum)), annotation
    return []


def test_a_decision_record_has_field_names_for_keys_and_floats_only_in_sampling() -> None:
    seen: set[type] = set()
    floats = []
    for name, field in AuditRecord.model_fields.items():
        if name not in ("payload", "chain"):
            floats += _leaf_types(field.annotation, seen)
    floats += _leaf_types(DecisionPayload, seen)
    assert floats == [(SamplingRecord, name) for name in SAMPLING_FLOATS]


def test_sampling_floats_as_rfc_8785_writes_them() -> None:
    chain = AuditChain.fresh(1)
    base = audit(1)
    for value, text in ((1.0, b'"weight":1}'), (0.06, b'"weight":0.06}'),
                        (1e-7, b'"weight":1e-7}'), (5e-05, b'"weight":0.00005}')):
        sampling = SamplingRecord(
            selected=True, mandatory_reasons=(), stratum="s", weight=value, probability=0.5,
            draw=0.25, drawn=True, budget_dropped=False, budget_window_start=None,
            inclusion_probability=1.0, reviewer_group="g", key_id="k")
        sealed = chain.seal(base.model_copy(update={"sampling": sampling}), 0).value
        assert text in sealed and b'"inclusion_probability":1,' in sealed


def plain_sampling_by_printing(value: float) -> tuple[bool, Any]:
    """What the seal's fast path did with a sampling float before it compared ranges: the
    plain computation (Python prints it, and the print says whether it has an exponent)."""
    if value.is_integer():
        return (False, None) if abs(value) >= 2**53 else (True, int(value))
    if not math.isfinite(value) or "e" in repr(value):
        return False, None
    return True, value


@settings(max_examples=2000, deadline=None)
@given(st.floats() | st.sampled_from([1e-4, -1e-4, math.nextafter(1e-4, 0),
                                      math.nextafter(1e-4, 1), 9.999999999999999e-05,
                                      2.0**53 - 0.5, 1e16, 5e-324, math.inf, math.nan]))
def test_a_sampling_float_takes_the_path_its_print_says(value: float) -> None:
    sampling = {"weight": value}
    plain, written = plain_sampling_by_printing(value)
    assert _plain_sampling(sampling) is plain
    if plain:
        assert type(sampling["weight"]) is type(written) and sampling["weight"] == written
