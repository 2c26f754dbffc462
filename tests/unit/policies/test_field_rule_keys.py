"""`decide` walks an output's paths for a field rule only when one of its keys ends as the
rule's globs do (`key_endings`, `_has_key_ending`): an output it skips must be one in which no
path matches the rule, so the decision is what the walk of every path gives."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.walker import ROOT, nodes
from policies import ActionResult, HashKey, shipped_policy_path
from policies.decide import _has_key_ending, decide
from policies.glob import any_glob, key_endings, literal_tails
from policies.loader import parse_policy
from tests.unit.policies.test_glob_alternatives import GLOBS

KEYS = st.sampled_from(["internal_notes", "x_internal_notes", "internal_notes_x", "debug_trace",
                        "a b", "a.b", "ssn", "a-b", "b", "0", "", "\u00e9", "[0]", "notes\n",
                        "internal notes", "a\"b"])
OUTPUTS = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12)
FIELD_GLOBS = st.lists(st.sampled_from([
    "*.internal_notes", "*.debug_trace", "*.a-b", "customers[*].ssn", "ssn", "*.b", "*",
    "*[0]", "*notes", "a.b", "[*]", "x?", "*.0"]), min_size=1, max_size=3).map(tuple)


def _paths(output: Any) -> list[str]:
    return [path for path, _ in nodes(output) if path != ROOT]


@settings(max_examples=800, deadline=None)
@given(OUTPUTS, st.one_of(GLOBS, FIELD_GLOBS))
def test_an_output_whose_keys_end_otherwise_has_no_path_a_glob_matches(
        output: Any, globs: tuple[str, ...]) -> None:
    ends = key_endings(literal_tails(globs))
    if ends is not None and not _has_key_ending(output, ends):
        tails = literal_tails(globs)
        assert not [path for path in _paths(output) if path.endswith(tails)]
        assert not [path for path in _paths(output) if any_glob(globs, path)]


def test_key_endings() -> None:
    assert key_endings(("internal_notes", "debug_trace")) == ("internal_notes", "debug_trace")
    assert key_endings((".ssn", "a.b-c", "x[0].k_1")) == ("ssn", "b-c", "k_1")
    assert key_endings(("internal_notes", "")) is None  # an empty tail: every path may match
    assert key_endings(("[0]",)) is None  # after an index
    assert key_endings(("a\"]",)) is None  # after a quoted key
    assert key_endings(("a.\u00e9",)) is None  # only a quoted key ends with it


def test_the_keys_are_looked_for_at_any_depth() -> None:
    ends = ("internal_notes",)
    assert _has_key_ending({"a": [1, {"b": {"my_internal_notes": 1}}]}, ends)
    assert _has_key_ending([[{"internal_notes": None}]], ends)
    assert not _has_key_ending({"a": [1, {"internal_notes_x": "internal_notes"}]}, ends)
    assert not _has_key_ending("internal_notes", ends)


def _policy() -> Any:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["field_rules"] += [
        {"id": f"field-{i}", "paths": paths, "operator": operator, "reason": "test"}
        for i, (paths, operator) in enumerate([
            (["customers[*].ssn", "*.a-b"], "drop"), (["*notes"], "remove"),
            (["a.b", "*.0"], "remove"), (["*[0]"], "drop")])]
    return parse_policy(yaml.safe_dump(data), "fields.yaml").policy


DECIDE = importlib.import_module("policies.decide")  # the module (`policies.decide` is the function)
POLICY = _policy()
KEY = HashKey("k", b"k" * 32)


def _decided(output: Any) -> tuple[Any, ...]:
    result = ActionResult(job_id="j-1", agent_id="a-1", action="job.x", output=output)
    outcome = decide(result, [], POLICY, KEY)
    return outcome.decision, outcome.output, outcome.redactions, outcome.rule_ids


@settings(max_examples=400, deadline=None)
@given(OUTPUTS)
def test_decide_removes_what_the_walk_of_every_path_removes(output: Any) -> None:
    skipped = _decided(output)
    with pytest.MonkeyPatch.context() as patch:  # every output walked, as before the look
        patch.setattr(DECIDE, "_has_key_ending", lambda _value, _ends: True)
        walked = _decided(output)
    assert skipped == walked
