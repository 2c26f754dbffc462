"""The sampler builds its sampling records without validating them (sampling/sampler.py,
`_record`): every field it sets is already of its type. Each record it makes, whatever the
result, decision, level, budgets and time, must be the record validation gives: equal, the same
fields in the same order with the same types and reprs (1 and 1.0, True and 1 told apart), the
same fields set and the same JSON. And `match_facts` keeps the facts of the last results it
was asked about: they must be those read afresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policies import ActionResult, Decision, shipped_policy_path
from policies.loader import parse_policy
from policies.match import match_facts
from sampling import Sampler, SamplingKey, SamplingRecord
from tests.unit.policies.test_condition_memos import results


def _policy() -> Any:
    """The default policy with budgets small enough to drop, weights and a product stratum."""
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["sampling"]["budgets"] = {
        group: {"max_samples": 2, "window": "1m", "max_share_per_agent": 0.5}
        for group in ("ops-review", "finance-approvers", "security-team")}
    data["sampling"]["weights"] = {"prod": 3, "financial": 7.5, "read": 0.5}
    data["sampling"]["base_rate"] = 0.25
    return parse_policy(yaml.safe_dump(data), "records.yaml").policy


POLICY = _policy()
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _fields(record: SamplingRecord) -> list[tuple[str, type, str]]:
    return [(name, type(value), repr(value)) for name, value in record.__dict__.items()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(
    results, results, st.sampled_from(list(Decision)),
    st.frozensets(st.sampled_from(["EMAIL_ADDRESS", "CREDENTIAL", "US_SSN"]), max_size=2),
    st.booleans(), st.sampled_from([None, 0, 1, 2, 3]), st.booleans(), st.booleans(),
    st.integers(0, 300)), min_size=1, max_size=12))
def test_a_record_built_is_the_record_validated(seen: list[tuple[Any, ...]]) -> None:
    assert POLICY.sampling is not None
    sampler = Sampler(POLICY.sampling, POLICY.routing, SamplingKey("k", b"s" * 16), "snap",
                      autonomy=POLICY.autonomy)
    for n, (claimed, trusted, decision, entities, first, level, reused, two,
            seconds) in enumerate(seen):
        record = sampler.sample(claimed, decision, entities, first,
                                T0 + timedelta(seconds=seconds), level, job_hash=f"h{n}",
                                reused=reused, trusted=trusted if two else None,
                                share_holder="topic:t")
        validated = SamplingRecord(**record.__dict__)
        assert record == validated
        assert _fields(record) == _fields(validated)
        assert record.model_fields_set == validated.model_fields_set
        assert record.model_dump_json() == validated.model_dump_json()
        assert record.model_extra is None and record.__pydantic_private__ is None


@settings(max_examples=300, deadline=None)
@given(st.lists(results, min_size=1, max_size=6), st.lists(st.integers(0, 5), max_size=30))
def test_kept_facts_are_those_read_afresh(pool: list[ActionResult], asked: list[int]) -> None:
    for index in asked:
        result = pool[index % len(pool)]
        assert match_facts(result) == (
            result.action, result.agent_id, result.risk_tags, result.audience,
            result.confidence, result.anomaly_score, result.retry_count, result.amount_usd,
            result.affected_users)
