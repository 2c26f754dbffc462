"""The walkers build lists (and remember paths) instead of nesting generators: they must name
and order every node exactly as the generator walkers they replaced (kept here as the
reference), on any JSON value, odd keys and deep nesting included."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors import walker
from detectors.walker import Leaf, nodes, scan_leaves, string_leaves

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


def _child_path(parent: str, key: str) -> str:
    # quoted as a JSON string (quotes, backslashes and control characters escaped)
    part = key if _PLAIN_KEY.match(key) else "[" + json.dumps(key, ensure_ascii=False) + "]"
    if parent == "$":
        return part if not part.startswith("[") else "$" + part
    return f"{parent}{part}" if part.startswith("[") else f"{parent}.{part}"


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e19:
        text = str(int(value))
    else:
        text = str(value)
    return " " + text[1:] if text.startswith("-") else text  # the detectors read no sign


def reference_scan(value: Any, path: str = "$", key: str | None = None,
                   ) -> Iterator[tuple[str, str | None, str, str]]:
    if isinstance(value, str):
        yield path, key, value, "string"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, key, _number_text(value), "number"
    elif isinstance(value, dict):
        for child_key, child in value.items():
            child_at = _child_path(path, str(child_key))
            yield child_at, key, str(child_key), "key"
            yield from reference_scan(child, child_at, str(child_key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from reference_scan(child, f"{path}[{index}]", key)


def reference_strings(value: Any, path: str = "$", key: str | None = None,
                      ) -> Iterator[tuple[str, str | None, str, str]]:
    return ((p, k, t, kind) for p, k, t, kind in reference_scan(value, path, key)
            if kind == "string")


def reference_nodes(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from reference_nodes(child, _child_path(path, str(child_key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from reference_nodes(child, f"{path}[{index}]")


KEYS = st.one_of(st.sampled_from(["a", "ssn", "x-y", "_k", "1a", "", "a b", 'q"uote',
                                  "[0]", "a.b", "é", "\ud800"]),
                 st.text(max_size=6))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)


def _fields(leaves: Iterator[Leaf]) -> list[tuple[str, str | None, str, str]]:
    return [(leaf.path, leaf.key, leaf.text, leaf.kind) for leaf in leaves]


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_walkers_name_and_order_every_node_as_the_generator_walkers(value: Any) -> None:
    for _ in range(2):  # the second walk reads the remembered paths
        assert _fields(scan_leaves(value)) == list(reference_scan(value))
        assert _fields(string_leaves(value)) == list(reference_strings(value))
        assert [(p, id(v)) for p, v in nodes(value)] == [(p, id(v)) for p, v in
                                                          reference_nodes(value)]


def test_a_walk_below_a_given_path_and_key_starts_there() -> None:
    value = {"b": ["x", 1]}
    assert _fields(scan_leaves(value, "$.a", "a")) == list(reference_scan(value, "$.a", "a"))
    assert _fields(string_leaves("t", "$[2]", "k")) == [("$[2]", "k", "t", "string")]


def test_remembered_paths_are_bounded_whatever_the_keys() -> None:
    for index in range(walker._CACHED_PATHS * 2):
        walker.child_path("$", f"key{index}")
    assert len(walker._CHILD_PATHS) <= walker._CACHED_PATHS
    long_key = "k" * (walker._CACHED_PATH_LENGTH + 1)
    assert walker.child_path("$", long_key) == long_key
    assert ("$", long_key) not in walker._CHILD_PATHS


def test_leaves_are_values() -> None:
    leaf = Leaf("$.a", "a", "text")
    assert leaf == Leaf("$.a", "a", "text", "string")
    assert leaf != Leaf("$.a", "a", "text", "key")
    assert len({leaf, Leaf("$.a", "a", "text")}) == 1
    assert leaf.utf8 is leaf.utf8 and leaf.utf8.text == "text"
    assert "Leaf(path='$.a'" in repr(leaf)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_leaf_texts_are_the_texts_scan_leaves_reads(value: Any) -> None:
    # the records' finding summaries take a finding's value from these texts
    for _ in range(2):
        assert walker.leaf_texts(value) == {leaf.path: leaf.text for leaf in scan_leaves(value)
                                            if leaf.kind != "key"}
