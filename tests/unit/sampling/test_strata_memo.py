"""The sampler remembers each (risk tags, sampling factor) pair's stratum, and each result's
mandatory reasons and reviewer group by its facts: they must be what the policy gives afresh,
whatever repeats or in which order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import ActionResult, Decision, load_policy, shipped_policy_path
from policies.match import policy_cuts
from sampling import Sampler, SamplingKey
from sampling.mandatory import mandatory_reasons, scope_reasons
from sampling.routing import route
from sampling.strata import stratum_for
from tests.unit.policies.test_condition_memos import CHANGES, results

SAMPLING = load_policy(shipped_policy_path("default")).policy.sampling
assert SAMPLING is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    st.lists(st.sampled_from(["prod", "write", "financial", "read", "other"]),
             max_size=3).map(tuple),
    st.sampled_from([1.0, 0.5, 0.0, 2.0])), min_size=1, max_size=8))
def test_remembered_strata_are_those_of_the_policy(
        seen: list[tuple[tuple[str, ...], float]]) -> None:
    sampler = Sampler(SAMPLING, None, SamplingKey("k", b"s" * 16), "snapshot")
    for tags, factor in seen + seen:
        assert sampler._stratum(tags, factor) == stratum_for(tags, SAMPLING, factor)


LOADED = load_policy(shipped_policy_path("default")).policy
AUTONOMY = LOADED.autonomy
assert AUTONOMY is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(
    results, st.sampled_from(list(Decision)),
    st.frozensets(st.sampled_from(["CREDENTIAL", "CROSS_TENANT", "EMAIL_ADDRESS"]), max_size=2),
    st.booleans(), st.none() | st.integers(0, len(AUTONOMY.levels) - 1), st.booleans()),
    min_size=1, max_size=8))
def test_remembered_reasons_and_groups_are_those_of_the_policy(
        seen: list[tuple[ActionResult, Decision, frozenset[str], bool, int | None, bool]],
) -> None:
    """The mandatory and scope reasons and the reviewer group, remembered per a result's facts
    (`Sampler._reasons_of`, `Sampler._group`): what `mandatory_reasons`, `scope_reasons` and
    `route` give afresh."""
    sampler = Sampler(SAMPLING, LOADED.routing, SamplingKey("k", b"s" * 16), "snapshot",
                      autonomy=AUTONOMY)
    for result, decision, entities, first_time, level, reused in seen + seen:
        _check_remembered(sampler, result, decision, entities, first_time, level, reused)


def _check_remembered(sampler: Sampler, result: ActionResult, decision: Decision,
                      entities: frozenset[str], first_time: bool, level: int | None,
                      reused: bool) -> None:
    scope = AUTONOMY.levels[level].scope if level is not None else None
    expected = mandatory_reasons(result, decision, entities, SAMPLING.mandatory, first_time,
                                 supervised=level == 0 and scope is not None, reused=reused)
    if scope is not None:
        expected += scope_reasons(result, level or 0, scope)
    assert sampler._reasons_of(result, decision, entities, first_time,
                               level if scope is not None else None, scope, reused) == expected
    assert sampler._group(result, entities) == route(result, entities, LOADED.routing)


@settings(max_examples=300, deadline=None)
@given(results, st.lists(CHANGES, min_size=1, max_size=8),
       st.lists(st.tuples(st.sampled_from(list(Decision)), st.booleans(),
                          st.none() | st.integers(0, len(AUTONOMY.levels) - 1), st.booleans()),
                min_size=1, max_size=3))
def test_results_that_differ_by_one_fact_get_the_reasons_and_group_of_their_own(
        base: ActionResult, changes: list[tuple[str, Any]],
        asks: list[tuple[Decision, bool, int | None, bool]]) -> None:
    """As above, for results that differ from one another by one fact (the memo is keyed by the
    facts, a signal by its place among the policy's thresholds: `policies.match.policy_cuts`),
    with the cuts the worker gives the sampler."""
    sampler = Sampler(SAMPLING, LOADED.routing, SamplingKey("k", b"s" * 16), "snapshot",
                      autonomy=AUTONOMY, cuts=policy_cuts(LOADED))
    entities = frozenset({"EMAIL_ADDRESS"})
    seen = [base] + [base.model_copy(update={name: value}) for name, value in changes]
    for decision, first_time, level, reused in asks:
        for result in seen + seen:
            _check_remembered(sampler, result, decision, entities, first_time, level, reused)


def _judged_afresh(views: tuple[ActionResult, ...], decision: Decision,
                   entities: frozenset[str], first_time: bool,
                   level: int | None, reused: bool) -> tuple[Any, ...]:
    """What `Sampler.sample` worked out per result before `Sampler._judge`: each view's reasons
    in view order (each once), the more likely stratum (the first view's on a tie), the claimed
    view's group."""
    scope = AUTONOMY.levels[level].scope if level is not None else None
    found: list[str] = []
    for view in views:
        found += mandatory_reasons(view, decision, entities, SAMPLING.mandatory, first_time,
                                   supervised=level == 0 and scope is not None, reused=reused)
        if scope is not None:
            found += scope_reasons(view, level or 0, scope)
    factor = scope.sampling_factor if scope is not None else 1.0
    strata = [stratum_for(view.risk_tags, SAMPLING, factor) for view in views]
    stratum = strata[0]
    for other in strata[1:]:
        if other.probability > stratum.probability:
            stratum = other
    return tuple(dict.fromkeys(found)), stratum, route(views[-1], entities, LOADED.routing)


@settings(max_examples=300, deadline=None)
@given(results, st.lists(CHANGES, min_size=1, max_size=6), st.lists(st.tuples(
    st.booleans(), st.sampled_from(list(Decision)),
    st.frozensets(st.sampled_from(["CREDENTIAL", "CROSS_TENANT", "EMAIL_ADDRESS"]), max_size=2),
    st.booleans(), st.none() | st.integers(0, len(AUTONOMY.levels) - 1), st.booleans()),
    min_size=1, max_size=4))
def test_a_results_reasons_stratum_and_group_remembered_together_are_those_of_the_policy(
        base: ActionResult, changes: list[tuple[str, Any]],
        asks: list[tuple[bool, Decision, frozenset[str], bool, int | None, bool]]) -> None:
    """`Sampler._judge` remembers them per the facts of all of a result's views: for results one
    fact apart, with one view or two (the trusted view: what no binding vouches for dropped),
    what the policy gives afresh."""
    sampler = Sampler(SAMPLING, LOADED.routing, SamplingKey("k", b"s" * 16), "snapshot",
                      autonomy=AUTONOMY, cuts=policy_cuts(LOADED))
    seen = [base] + [base.model_copy(update={name: value}) for name, value in changes]
    for two, decision, entities, first_time, level, reused in asks:
        for result in seen + seen:
            views: tuple[ActionResult, ...] = (result,)
            if two:
                views = (result.model_copy(update={"audience": None, "risk_tags": (),
                                                   "amount_usd": None,
                                                   "affected_users": None}), result)
            assert sampler._judge(views, decision, entities, first_time, level, reused) == (
                _judged_afresh(views, decision, entities, first_time, level, reused))
