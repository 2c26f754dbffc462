"""`decide` remembers the rule chosen for a finding under one view's rules by the finding's
entity, path and score (`_chosen`): it must be what `_choose` works out afresh, for any
sequence of results and findings, however they repeat or differ."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.finding import Finding
from policies import ActionResult, shipped_policy_path
from policies.decide import _choose, _chosen, _conditions, _verdict
from policies.loader import parse_policy
from tests.unit.policies.test_condition_memos import WHENS, results

LONG = "$." + "k" * 300  # past the remembered path length


def _policy() -> Any:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["rules"] += [
        {"id": f"path-{i}", "entities": ["EMAIL_ADDRESS", "PERSON"], "decision": decision,
         "reason": "test", "paths": paths, "min_score": score, "when": when,
         **({"operator": "mask"} if decision == "redact" else {})}
        for i, (paths, score, decision, when) in enumerate([
            (["$.customers[*].email"], 0.5, "quarantine", WHENS[0]),
            (["*.name", LONG], 0.9, "redact", WHENS[2]),
            (["$"], 0.0, "allow", {"actions": ["job.support.*"]}),
            (["$.notes"], 0.75, "quarantine", WHENS[5]),
        ])]
    return parse_policy(yaml.safe_dump(data), "choices.yaml").policy


POLICY = _policy()

findings = st.builds(
    Finding, entity=st.sampled_from(["EMAIL_ADDRESS", "PERSON", "US_SSN", "CREDIT_CARD"]),
    path=st.sampled_from(["$", "$.notes", "$.customers[0].email", "$.a.name", LONG]),
    start=st.just(0), end=st.just(1), detector=st.just("test"),
    score=st.sampled_from([0.0, 0.4, 0.5, 0.74, 0.75, 0.9, 1.0]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(results, findings), min_size=1, max_size=12))
def test_the_remembered_choice_is_the_one_worked_out_afresh(
        seen: list[tuple[ActionResult, Finding]]) -> None:
    for result, finding in seen + seen:  # the second time, from what was remembered
        held = _conditions(result, POLICY)
        assert _chosen(finding, held, POLICY) == _choose(finding, held.rules, POLICY)


def _judged_afresh(finding: Finding, views: tuple[ActionResult, ...]) -> tuple[Any, ...]:
    """What `decide` worked out per finding before `_verdict`: each view's choice afresh, the
    stricter kept (the first view's on a tie), every matched rule's id once."""
    choices = [_choose(finding, _conditions(view, POLICY).rules, POLICY) for view in views]
    choice = max(choices, key=lambda c: c.strictness)
    rule = choice.rule
    return (choice, tuple(dict.fromkeys(r.id for c in choices for r in c.matched)),
            rule.id if rule else "policy-default",
            rule.reason if rule else POLICY.defaults.reason)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(results, results, findings, st.booleans()), min_size=1,
                max_size=12))
def test_the_remembered_verdict_is_the_one_worked_out_afresh(
        seen: list[tuple[ActionResult, ActionResult, Finding, bool]]) -> None:
    """`_verdict`: one finding under all views of a result (one view, or the trusted and the
    claimed), remembered; the same as judging each view afresh."""
    for trusted, claimed, finding, two in seen + seen:
        views = (trusted, claimed) if two else (claimed,)
        held = tuple(_conditions(view, POLICY) for view in views)
        verdict = _verdict(finding, held, POLICY)
        assert (verdict.choice, verdict.matched, verdict.rule_id,
                verdict.reason) == _judged_afresh(finding, views)
