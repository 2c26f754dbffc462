"""Field rules look only at the paths that can match them: when every glob of the rules that
hold ends with a key's literal text (`*.internal_notes`), `decide` makes a path only for the
keys that end with it (`policies.decide._field_rule_paths`) instead of listing every node of
the output. What it removes, and in which order it records the removals, must be what it
does over every path, whatever the keys (dots, brackets, quotes, a digit first, none at all)."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from detectors.walker import ROOT, nodes
from policies import decide
from tests.unit.policies.conftest import KEY, policy, result

DECIDE = sys.modules["policies.decide"]  # the module (`policies.decide` is also the function)

KEYS = ["internal_notes", "notes", "x.internal_notes", "1internal_notes", "internal notes",
        "debug_trace", "trace", "_trace", "é_trace", "notes]", 'a"b', "", "a", "b", "0",
        "c-d", "[0]", "$"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["v", "internal_notes"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=12)
# what a field rule's glob ends with after its last wildcard (`glob.literal_tails`)
KEY_TAILS = ["internal_notes", "notes", "trace", "_trace", "e", "-d", "0", "é_trace"]


@settings(max_examples=400, deadline=None)
@given(JSON, st.lists(st.sampled_from(KEY_TAILS), min_size=1, max_size=3).map(tuple))
def test_the_paths_made_for_key_tails_are_the_listed_paths_that_end_with_them(
        output: Any, tails: tuple[str, ...]) -> None:
    assert all(map(DECIDE._key_tail, tails))
    found: list[str] = []
    DECIDE._tailed_paths(output, (), tails, found)
    assert found == [path for path, _ in nodes(output)
                     if path != ROOT and path.endswith(tails)]


def test_tails_a_path_may_end_with_otherwise_than_by_a_key_take_every_path() -> None:
    for tail in ("", "a.b", "[0]", 'notes"]', "x]"):
        assert not DECIDE._key_tail(tail)
    for tail in KEY_TAILS:
        assert DECIDE._key_tail(tail)


GLOBS = ["*.internal_notes", "*notes", "*.debug_trace", "*trace", "a.b", "*[*]", "*.a.b",
         "*[0]", "*", "a", "*.0", '*["a\\"b"]', "b?", "*.c-d"]


def _field_policy(globs: list[list[str]], operators: tuple[str, ...] = ("drop", "remove")
                  ) -> Any:
    rules = "\n".join(
        f"  - id: f{i}\n    paths: [{', '.join(json.dumps(g) for g in paths)}]\n"
        f"    operator: {operators[i % len(operators)]}\n    reason: test"
        for i, paths in enumerate(globs))
    return policy(f"field_rules:\n{rules}\n").policy


@settings(max_examples=300, deadline=None)
@example({"a": {"b": 1}}, [["*.a.b"]])  # a tail across two keys
@example({"list": [{"0": 1}, 2]}, [["*[0]"], ["*.0"]])
@given(JSON, st.lists(st.lists(st.sampled_from(GLOBS), min_size=1, max_size=3), min_size=1,
                      max_size=3))
def test_field_rules_decide_as_they_do_over_every_path(
        output: Any, globs: list[list[str]]) -> None:
    field_policy = _field_policy(globs)
    shortcut = decide(result(output), [], field_policy, KEY)
    every_path = DECIDE._field_rule_paths
    try:
        DECIDE._field_rule_paths = lambda output, _rules, _held: [
            path for path, _ in nodes(output) if path != ROOT]
        listed = decide(result(output), [], field_policy, KEY)
    finally:
        DECIDE._field_rule_paths = every_path
    assert shortcut.output == listed.output
    assert shortcut.redactions == listed.redactions
    assert shortcut.decision is listed.decision
    assert shortcut.rule_ids == listed.rule_ids


@pytest.mark.parametrize("globs", [["*.internal_notes"], ["*.internal_notes", "*.debug_trace"]])
def test_a_key_tail_rule_removes_the_fields_it_names_at_any_depth(globs: list[str]) -> None:
    output = {"internal_notes": 1, "x.internal_notes": 2, "a": [{"internal_notes": {"z": 3}}],
              "debug_trace": 4, "keep": {"notes": 5}}
    outcome = decide(result(output), [], _field_policy([globs], ("remove",)), KEY)
    assert [r.path for r in outcome.redactions] == (
        ["internal_notes", "a[0].internal_notes"] if len(globs) == 1
        else ["internal_notes", "a[0].internal_notes", "debug_trace"])
    assert outcome.output == ({"x.internal_notes": 2, "a": [{}], "debug_trace": 4,
                               "keep": {"notes": 5}} if len(globs) == 1 else
                              {"x.internal_notes": 2, "a": [{}], "keep": {"notes": 5}})
