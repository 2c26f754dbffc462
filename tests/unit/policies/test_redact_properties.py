"""Properties of redaction over arbitrary JSON: no detected value survives in the output, and
nothing that was not redacted changes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.walker import string_leaves
from policies import decide
from tests.unit.policies.conftest import KEY, find, policy, result

# Secrets use letters no placeholder, mask, hex token or key id contains; filler never does.
SECRETS = st.text(alphabet="wxyz", min_size=8, max_size=16)
FILLER = st.text(alphabet="abc -.:", max_size=12)
KEYS = st.sampled_from(["a", "b", "name", "notes", "id", "data"])

OPERATORS = ["replace", "{type: mask, keep_last: 4}", "{type: hash, length: 16}", "drop",
             "remove"]


@st.composite
def outputs(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """A JSON value with secrets planted in some string leaves, and the secrets."""
    planted: list[str] = []

    def leaf() -> st.SearchStrategy[Any]:
        def text(parts: list[str]) -> str:
            return "".join(parts)
        return st.one_of(
            st.integers(-5, 5), st.booleans(), st.none(), FILLER,
            st.lists(st.one_of(FILLER, SECRETS.map(lambda s: planted.append(s) or s)),
                     min_size=1, max_size=4).map(text))

    value = draw(st.recursive(leaf(), lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
        max_leaves=12))
    return value, planted


def rules(operator: str) -> str:
    return f"""
rules:
  - id: r
    entities: [CREDENTIAL]
    decision: redact
    operator: {operator}
    reason: test
"""


def untouched(value: Any, changed: set[str]) -> dict[str, str]:
    return {leaf.path: leaf.text for leaf in string_leaves(value) if leaf.path not in changed}


@settings(max_examples=150, deadline=None)
@given(outputs(), st.sampled_from(OPERATORS))
def test_no_detected_value_survives_redaction(planted_output: tuple[Any, list[str]],
                                              operator: str) -> None:
    output, secrets = planted_output
    findings = [f for s in set(secrets) for f in find(output, s, "CREDENTIAL")]
    outcome = decide(result(output), findings, policy(rules(operator)).policy, KEY)
    rendered = json.dumps(outcome.output)
    for secret in secrets:
        assert secret not in rendered


@settings(max_examples=150, deadline=None)
@given(outputs(), st.sampled_from(OPERATORS))
def test_leaves_without_findings_are_unchanged(planted_output: tuple[Any, list[str]],
                                               operator: str) -> None:
    output, secrets = planted_output
    findings = [f for s in set(secrets) for f in find(output, s, "CREDENTIAL")]
    outcome = decide(result(output), findings, policy(rules(operator)).policy, KEY)
    changed = {f.path for f in findings}
    before = untouched(output, changed)
    after = untouched(outcome.output, changed)
    assert after == before, "removed list items become null, so no other path moves"
    assert {r.path for r in outcome.redactions} == changed
