"""Walk any JSON value and name each node by its JSON path, e.g. `response.customers[3].ssn`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from detectors.linear import Utf8Text

ROOT = "$"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


def child_path(parent: str, key: str) -> str:
    """The path of `key` under `parent`; keys that are not plain identifiers are quoted."""
    part = key if _PLAIN_KEY.match(key) else '["' + key.replace('"', '\\"') + '"]'
    if parent == ROOT:
        return part if not part.startswith("[") else ROOT + part
    return f"{parent}{part}" if part.startswith("[") else f"{parent}.{part}"


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


@dataclass(frozen=True)
class Leaf:
    """A string leaf: its path, the nearest object key above it (context), and its text.

    `kind` says what the text is: a string value, a number's decimal text, or an object key
    (then `path` is the path of the value under that key)."""

    path: str
    key: str | None
    text: str
    kind: str = "string"  # string | number | key

    @cached_property
    def utf8(self) -> Utf8Text:
        """The text prepared once for every detector's RE2 pattern."""
        return Utf8Text(self.text)


def string_leaves(value: Any, path: str = ROOT, key: str | None = None) -> Iterator[Leaf]:
    """Every string in `value`, depth first, in document order."""
    if isinstance(value, str):
        yield Leaf(path, key, value)
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from string_leaves(child, child_path(path, str(child_key)), str(child_key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from string_leaves(child, index_path(path, index), key)


def number_text(value: float) -> str:
    """The decimal text a JSON number is scanned as (and redacted from): `123456789`,
    `4111111111111111`, `12.5`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e19:
        return str(int(value))
    return str(value)


def scan_leaves(value: Any, path: str = ROOT, key: str | None = None) -> Iterator[Leaf]:
    """What the detectors read, depth first in document order: every string, every number (as
    its decimal text) and every object key (with the path of the value under it)."""
    if isinstance(value, str):
        yield Leaf(path, key, value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield Leaf(path, key, number_text(value), "number")
    elif isinstance(value, dict):
        for child_key, child in value.items():
            child_at = child_path(path, str(child_key))
            yield Leaf(child_at, key, str(child_key), "key")
            yield from scan_leaves(child, child_at, str(child_key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from scan_leaves(child, index_path(path, index), key)


def nodes(value: Any, path: str = ROOT) -> Iterator[tuple[str, Any]]:
    """Every node in `value` (objects, lists and scalars) with its path, parents first."""
    yield path, value
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from nodes(child, child_path(path, str(child_key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from nodes(child, index_path(path, index))
