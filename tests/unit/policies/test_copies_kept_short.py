"""What the decide stage no longer copies must be what copying gave: `apply` keeps an object or
list with no edit below it as it is, and `views` hands back the result itself where its claims
already are the view's. Both are checked against the copying versions, over outputs whose keys
look like paths (dots, brackets, quotes) and over results bound and unbound; and a result whose
two views are itself is decided and sampled as with two equal copies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from detectors.walker import ROOT, child_path, nodes, number_text
from policies import ActionResult, decide, load_policy, shipped_policy_path
from policies.claims import _bound, _max, views
from policies.loader import parse_policy
from policies.operators import Drop, Hash, Mask, Remove, Replace, WholeOperator
from policies.redact import _REMOVED, REDACTED, SpanEdit, apply, redact_string
from sampling import Sampler, SamplingKey
from tests.unit.policies.conftest import KEY, find
from tests.unit.policies.test_choice_memo import _policy as _choice_policy
from tests.unit.policies.test_condition_memos import BINDINGS, results

KEYS = st.sampled_from(["a", "b", "a.b", "b[0]", "[0]", 'a"', "", "a b", "0"])
LEAVES = st.one_of(st.integers(-3, 300), st.booleans(), st.none(),
                   st.text(alphabet="ab.[]\" ", max_size=6))
VALUES = st.recursive(LEAVES, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(KEYS, children, max_size=3)),
    max_leaves=14)


def copying_apply(value: Any, spans: dict[str, list[SpanEdit]],
                  whole: dict[str, WholeOperator], path: str = ROOT) -> Any:
    """`apply` as it was: every object and list copied, every value visited, every string's
    edits merged by the loop (one edit as well)."""
    op = whole.get(path)
    if isinstance(op, Remove):
        return _REMOVED if path != ROOT else REDACTED
    if isinstance(op, Drop):
        return REDACTED
    if isinstance(value, str) or (isinstance(value, int | float)
                                  and not isinstance(value, bool)):
        edits = spans.get(path)
        if not edits:
            return value
        # one edit through the merge loop too: its duplicate merges into it (spans not empty)
        return redact_string(value if isinstance(value, str) else number_text(value),
                             edits if len(edits) > 1 else edits * 2, KEY)
    if isinstance(value, dict):
        out = {}
        for child_key, child in value.items():
            new = copying_apply(child, spans, whole, child_path(path, str(child_key)))
            if new is not _REMOVED:
                out[child_key] = new
        return out
    if isinstance(value, list):
        items = [copying_apply(child, spans, whole, f"{path}[{i}]")
                 for i, child in enumerate(value)]
        return [None if item is _REMOVED else item for item in items]
    return value


SPAN_OPERATORS = st.sampled_from([Replace(), Mask(), Mask(keep_last=0, char="#"), Hash(),
                                  Hash(length=8)])


@settings(max_examples=500, deadline=None)
@given(VALUES, st.data())
def test_an_output_is_redacted_as_when_every_part_was_copied(value: Any,
                                                             data: st.DataObject) -> None:
    paths = [path for path, _ in nodes(value)]
    spans: dict[str, list[SpanEdit]] = {}
    whole: dict[str, WholeOperator] = {}
    for path in data.draw(st.lists(st.sampled_from(paths), max_size=4)):
        if data.draw(st.booleans()):
            whole[path] = data.draw(st.sampled_from([Remove(), Drop()]))
        else:  # one edit or several, overlapping or not, within the text or past its end
            spans[path] = [SpanEdit(path, start, start + length, "EMAIL_ADDRESS",
                                    data.draw(SPAN_OPERATORS))
                           for start, length in data.draw(st.lists(
                               st.tuples(st.integers(0, 5), st.integers(1, 4)), min_size=1,
                               max_size=3))]
    expected = copying_apply(value, spans, whole)
    redacted = apply(value, spans, whole, KEY)
    assert redacted == expected
    assert repr(redacted) == repr(expected)  # 1 and True, 0.0 and -0.0 told apart too


def _trust() -> Any:
    """test_condition_memos' bindings, and floors of zero (a claimed -0.0 is not 0.0)."""
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["trust"] = {"bindings": [*BINDINGS, {
        "id": "floors", "agents": ["support"], "amount_usd_at_least": 0.0}, {
        "id": "users", "agents": ["ops-*"], "affected_users_at_least": 5}]}
    return parse_policy(yaml.safe_dump(data), "floors.yaml").policy.trust


TRUST = _trust()


def copying_views(result: ActionResult, topic: str | None) -> tuple[ActionResult, ActionResult]:
    """`views` as it was: both views copied."""
    bound = _bound(TRUST, topic, result.agent_id)
    audiences = {b.audience for b in bound if b.audience is not None}
    audience = "customer" if "customer" in audiences else "internal" if audiences else None
    tags = tuple(dict.fromkeys(tag for b in bound for tag in b.risk_tags))
    amount: float | None = None
    users: float | None = None
    for b in bound:
        amount = _max(amount, b.amount_usd_at_least)
        users = _max(users, b.affected_users_at_least)
    trusted = result.model_copy(update={
        "audience": audience, "risk_tags": tags, "amount_usd": amount,
        "affected_users": None if users is None else int(users)})
    claimed_users = _max(result.affected_users, users)
    claimed = result.model_copy(update={
        "audience": result.audience or audience,
        "risk_tags": tuple(dict.fromkeys((*tags, *result.risk_tags))),
        "amount_usd": _max(result.amount_usd, amount),
        "affected_users": None if claimed_users is None else int(claimed_users)})
    return trusted, claimed


def _facts(result: ActionResult) -> list[tuple[str, type, Any]]:
    return [(name, type(value), repr(value)) for name, value in result.__dict__.items()]


@settings(max_examples=400, deadline=None)
@given(results, st.sampled_from([None, "agent.support.eu", "agent.ops", "agent.deploy",
                                 "agent.other"]),
       st.sampled_from([(), ("prod", "prod"), ("read", "prod", "read")]))
@example(ActionResult(job_id="j", agent_id="support", action="a", output=None, amount_usd=-0.0),
         "agent.other", ())
def test_the_views_are_those_copying_gave(result: ActionResult, topic: str | None,
                                          repeated: tuple[str, ...]) -> None:
    with_extra = ActionResult.model_validate({**result.model_dump(), "note": ["x"]})
    for one in (result, result.model_copy(update={"risk_tags": repeated}), with_extra):
        seen = views(one, topic, TRUST)
        for view, expected in zip(seen.both(), copying_views(one, topic), strict=True):
            assert _facts(view) == _facts(expected)
            assert view.model_extra == expected.model_extra
            assert view.model_dump_json() == expected.model_dump_json()
            if view is not one:  # a copy: what model_copy gives, its own extra fields too
                assert view.model_fields_set == expected.model_fields_set
                assert view.model_extra is not one.model_extra or one.model_extra is None


LOADED = load_policy(shipped_policy_path("default"))
CHOICE_POLICY = _choice_policy()
NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(results, st.sampled_from(["agent.support.eu", "agent.ops", "agent.other"]))
def test_one_view_for_a_result_that_claims_nothing_more_decides_as_two(
        result: ActionResult, topic: str) -> None:
    """When both views are the result itself, `decide` and the sampler look at it once: the
    same outcome and the same sampling record as with two equal views."""
    output = {"notes": "write to someone@example.org", "secret": "x", "internal_notes": "y"}
    claimed = result.model_copy(update={"output": output})
    findings = find(output, "someone@example.org", "EMAIL_ADDRESS")
    one = decide(claimed, findings, CHOICE_POLICY, KEY, claimed)
    two = decide(claimed, findings, CHOICE_POLICY, KEY, claimed.model_copy())
    assert one == two
    sampling = LOADED.policy.sampling
    assert sampling is not None
    sampled = [Sampler(sampling, LOADED.policy.routing, SamplingKey("k", b"s" * 16), "snap",
                       autonomy=LOADED.policy.autonomy).sample(
        claimed, one.decision, frozenset({"EMAIL_ADDRESS"}), True, NOW, level, job_hash="h",
        trusted=trusted) for level in (0, 1) for trusted in (claimed, claimed.model_copy())]
    assert sampled[0] == sampled[1] and sampled[2] == sampled[3]
