"""The sampler remembers each (risk tags, sampling factor) pair's stratum: it must be the one
`stratum_for` gives under the sampler's policy, whatever tags repeat or in which order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import load_policy, shipped_policy_path
from sampling import Sampler, SamplingKey
from sampling.strata import stratum_for

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
