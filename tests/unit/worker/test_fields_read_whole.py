"""A result's records read the validated models they are built from (the claimed result, each
finding) through the models' own field dicts, not attribute by attribute (pydantic's attribute
hook costs more than the read: streams/worker/result_records.py, list_bounds.py). The records
must say exactly what the attribute reads said: the review item's finding references and the
audit record's finding summaries for any findings (keys, odd paths, spans, several per group,
lists cut short), and the decision and audit record of a result whose tenant the policy filled
in (a copy of the decoded model)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.finding import Finding
from detectors.walker import leaf_texts
from policies import ActionResult, Decision, HashKey, Outcome
from policies.decide import RuledFinding
from policies.decision import SafetyDecision
from sampling.record import FindingRef
from streams.records import AuditRecord, FindingSummary, fields_json, to_json_bytes
from streams.worker.codec import RawRecord
from streams.worker.list_bounds import DEFAULT_LIMIT, RecordBounds
from streams.worker.result_records import audit_fields, decision_fields, source_fields, summaries

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
KEY = HashKey.from_secret(b"r" * 32)
PLACE = RawRecord("agent.actions", 2, 41, b"k", b"{}")

texts = st.text(max_size=6) | st.sampled_from(["", "é", "\u2028", "a.b", "[\"x\"]", "\U0001f600"])
keys = st.text(alphabet="abc_-. é", min_size=1, max_size=5)
outputs = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(
    allow_nan=False, allow_infinity=False) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children,
                                                                      max_size=3),
    max_leaves=8)


@st.composite
def decided(draw: st.DrawFn) -> tuple[Any, tuple[RuledFinding, ...]]:
    """An output and findings at its leaves (spans inside their text), on keys, and at paths
    it does not have, each ruled by one of a few rules (so some share a summary group)."""
    output = draw(outputs)
    leaves = sorted(leaf_texts(output).items())
    ruled = []
    for _ in range(draw(st.integers(0, 6))):
        if leaves and draw(st.booleans()):
            path, text = draw(st.sampled_from(leaves))
        else:
            path, text = draw(texts), ""
        start = draw(st.integers(0, len(text)))
        finding = Finding(entity=draw(st.sampled_from(["EMAIL", "CREDIT_CARD", "é"])),
                          path=path, start=start, end=draw(st.integers(start, len(text))),
                          score=0.9, detector=draw(st.sampled_from(["email", "card", ""])),
                          on_key=draw(st.booleans()))
        ruled.append(RuledFinding(finding, draw(st.sampled_from(["r1", "r2"])),
                                  draw(st.sampled_from(Decision))))
    return output, tuple(ruled)


def summaries_by_attribute(output: Any, ruled: tuple[RuledFinding, ...]) -> list[dict[str, Any]]:
    """`summaries` as it read each finding before: attribute by attribute, each group's
    `FindingSummary` built and validated."""
    texts_at = leaf_texts(output)
    grouped: dict[tuple[Any, ...], list[str]] = {}
    for each in ruled:
        f = each.finding
        value = "" if f.on_key else texts_at.get(f.path, "")[f.start:f.end]
        grouped.setdefault((f.entity, f.path, f.detector, each.rule_id, each.decision),
                           []).append(KEY.token(value))
    return [FindingSummary(entity=entity, path=path, count=len(hashes), detector=detector,
                           rule_id=rule_id, decision=decision,
                           value_hashes=tuple(hashes)).model_dump()
            for (entity, path, detector, rule_id, decision), hashes in grouped.items()]


def refs_by_attribute(ruled: tuple[RuledFinding, ...]) -> list[dict[str, Any]]:
    return [FindingRef(entity=r.finding.entity, path=r.finding.path,
                       detector=r.finding.detector, rule_id=r.rule_id).model_dump()
            for r in ruled]


@settings(max_examples=300, deadline=None)
@given(decided(), st.sampled_from([DEFAULT_LIMIT, 600, 200]))
def test_finding_summaries_and_references_say_what_the_attributes_say(
        case: tuple[Any, tuple[RuledFinding, ...]], limit: int) -> None:
    output, ruled = case
    outcome = Outcome(Decision.QUARANTINE, output, (), ("r1",), (), ruled,
                      scanned_output=output)
    made = summaries(output, outcome, KEY)
    assert [dict(summary) for summary in made] == summaries_by_attribute(output, ruled)
    assert all(list(summary) == list(FindingSummary.model_fields) for summary in made)
    bounds = RecordBounds.for_limit(limit)
    refs, omitted = bounds.finding_refs(ruled)
    assert [dict(ref) for ref in refs] == refs_by_attribute(ruled)[:len(refs)]
    assert all(list(ref) == list(FindingRef.model_fields) for ref in refs)
    assert (omitted is None) == (len(refs) == len(ruled))


ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,12}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(st.none() | ids, ids, st.none() | ids)
def test_a_result_whose_tenant_was_filled_in_is_recorded_with_it(
        tenant: str | None, filled: str, trace_id: str | None) -> None:
    decoded = ActionResult.model_validate({
        "job_id": "job-1", "agent_id": "agent-1", "action": "job.support.lookup",
        "tenant": tenant, "trace_id": trace_id, "output": {"x": 1}})
    result = decoded.model_copy(update={"tenant": filled})  # as the identity check fills it
    outcome = Outcome(Decision.ALLOW, {"x": 1}, (), (), (), ())
    source = source_fields(PLACE)
    decision = decision_fields(result, outcome, (), None, "v1:" + "a" * 16,
                               "sha256:" + "b" * 64, NOW, source)
    audit = audit_fields(result, outcome, "v1:" + "a" * 16, "sha256:" + "b" * 64, NOW, "w1",
                         "k1", PLACE, source, None, ((), None), ((), None))
    for fields, model in ((decision, SafetyDecision), (audit, AuditRecord)):
        assert (fields["tenant"], fields["trace_id"]) == (filled, trace_id)
        assert fields_json(fields, model) == to_json_bytes(model.model_validate(fields))
