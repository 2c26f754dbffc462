"""Walk any JSON value and name each node by its JSON path, e.g. `response.customers[3].ssn`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from detectors.linear import Utf8Text

ROOT = "$"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


def child_path(parent: str, key: str) -> str:
    """The path of `key` under `parent`; keys that are not plain identifiers are quoted."""
    found = _CHILD_PATHS.get((parent, key))
    if found is not None:
        return found
    part = key if _PLAIN_KEY.match(key) else "[" + _quoted(key) + "]"
    if parent == ROOT:
        found = part if not part.startswith("[") else ROOT + part
    else:
        found = f"{parent}{part}" if part.startswith("[") else f"{parent}.{part}"
    if len(found) <= _CACHED_PATH_LENGTH:
        if len(_CHILD_PATHS) >= _CACHED_PATHS:  # keys come from untrusted payloads: bounded
            _CHILD_PATHS.clear()
        _CHILD_PATHS[(parent, key)] = found
    return found


def _quoted(key: str) -> str:
    """A key as a JSON string literal: quotes, backslashes and control characters escaped, so a
    path is one line of printable text that names one key (no NUL for a warehouse to refuse,
    no line break to forge a log line) and `a\\` and `a"` cannot meet."""
    return json.dumps(key, ensure_ascii=False)


# Outputs of one agent action repeat their shape, so their paths repeat: kept, a bounded number.
_CHILD_PATHS: dict[tuple[str, str], str] = {}
_CACHED_PATHS = 8192
_CACHED_PATH_LENGTH = 256


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


class Leaf:
    """A string leaf: its path, the nearest object key above it (context), and its text.

    `kind` says what the text is: a string value, a number's decimal text, or an object key
    (then `path` is the path of the value under that key).

    A value object (equal and hashed by its four fields; treat it as immutable). A plain class
    with slots rather than a frozen dataclass: the walkers make one per string, number and key
    of every output, and a frozen dataclass's constructor costs several times more."""

    __slots__ = ("_utf8", "key", "kind", "path", "text")

    def __init__(self, path: str, key: str | None, text: str, kind: str = "string") -> None:
        self.path, self.key, self.text = path, key, text
        self.kind = kind  # string | number | key
        self._utf8: Utf8Text | None = None

    @property
    def utf8(self) -> Utf8Text:
        """The text prepared once for every detector's RE2 pattern."""
        prepared = self._utf8
        if prepared is None:
            prepared = self._utf8 = Utf8Text(self.text)
        return prepared

    def _fields(self) -> tuple[str, str | None, str, str]:
        return self.path, self.key, self.text, self.kind

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Leaf:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Leaf(path={self.path!r}, key={self.key!r}, text={self.text!r}, "
                f"kind={self.kind!r})")


def string_leaves(value: Any, path: str = ROOT, key: str | None = None) -> Iterator[Leaf]:
    """Every string in `value`, depth first, in document order."""
    found: list[Leaf] = []
    _strings(value, path, key, found)
    return iter(found)


def _strings(value: Any, path: str, key: str | None, found: list[Leaf]) -> None:
    # Recursion into a list rather than nested generators: each level of `yield from` costs
    # every leaf below it a resumption. Depth is bounded by the input limits (max_depth).
    kind = type(value)
    if kind is str or isinstance(value, str):
        found.append(Leaf(path, key, value))
    elif kind is dict or isinstance(value, dict):
        for child_key, child in value.items():
            child_key = str(child_key)
            _strings(child, child_path(path, child_key), child_key, found)
    elif kind is list or isinstance(value, list):
        for index, child in enumerate(value):
            _strings(child, f"{path}[{index}]", key, found)


def number_text(value: float) -> str:
    """The decimal text a JSON number is scanned as (and redacted from): `123456789`,
    `4111111111111111`, `12.5`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e19:
        return str(int(value))
    return str(value)


def _scanned_number(value: float) -> str:
    """A number's decimal text as the detectors read it: a minus sign as a space, since the
    digits are the value (`-4111111111111111` is a card number; detectors take a hyphen before
    digits for part of an identifier). As long as `number_text`, so spans fit both."""
    text = number_text(value)
    return " " + text[1:] if text.startswith("-") else text


def scan_leaves(value: Any, path: str = ROOT, key: str | None = None) -> Iterator[Leaf]:
    """What the detectors read, depth first in document order: every string, every number (as
    its decimal text) and every object key (with the path of the value under it)."""
    found: list[Leaf] = []
    _scanned(value, path, key, found)
    return iter(found)


def _scanned(value: Any, path: str, key: str | None, found: list[Leaf]) -> None:
    kind = type(value)
    if kind is str:
        found.append(Leaf(path, key, value))
    elif kind is dict:
        for child_key, child in value.items():
            child_key = str(child_key)
            child_at = child_path(path, child_key)
            found.append(Leaf(child_at, key, child_key, "key"))
            _scanned(child, child_at, child_key, found)
    elif kind is list:
        for index, child in enumerate(value):
            _scanned(child, f"{path}[{index}]", key, found)
    elif kind is int or kind is float:
        found.append(Leaf(path, key, _scanned_number(value), "number"))
    elif kind is bool or value is None:
        pass
    elif isinstance(value, str):  # subclasses: as the exact types above
        found.append(Leaf(path, key, value))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found.append(Leaf(path, key, _scanned_number(value), "number"))
    elif isinstance(value, dict):
        for child_key, child in value.items():
            child_key = str(child_key)
            child_at = child_path(path, child_key)
            found.append(Leaf(child_at, key, child_key, "key"))
            _scanned(child, child_at, child_key, found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _scanned(child, f"{path}[{index}]", key, found)


def leaf_texts(value: Any) -> dict[str, str]:
    """The text of every string and number `scan_leaves` reads, by path (what a finding's span
    is taken from), without making a `Leaf` per value and key."""
    found: dict[str, str] = {}
    _texts(value, ROOT, found)
    return found


def _texts(value: Any, path: str, found: dict[str, str]) -> None:
    # `_scanned`'s cases in its order, less the object keys
    kind = type(value)
    if kind is str:
        found[path] = value
    elif kind is dict:
        for child_key, child in value.items():
            _texts(child, child_path(path, str(child_key)), found)
    elif kind is list:
        for index, child in enumerate(value):
            _texts(child, f"{path}[{index}]", found)
    elif kind is int or kind is float:
        found[path] = _scanned_number(value)
    elif kind is bool or value is None:
        pass
    elif isinstance(value, str):
        found[path] = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found[path] = _scanned_number(value)
    elif isinstance(value, dict):
        for child_key, child in value.items():
            _texts(child, child_path(path, str(child_key)), found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _texts(child, f"{path}[{index}]", found)


def nodes(value: Any, path: str = ROOT) -> Iterator[tuple[str, Any]]:
    """Every node in `value` (objects, lists and scalars) with its path, parents first."""
    found: list[tuple[str, Any]] = []
    _nodes(value, path, found)
    return iter(found)


def _nodes(value: Any, path: str, found: list[tuple[str, Any]]) -> None:
    found.append((path, value))
    if isinstance(value, dict):
        for child_key, child in value.items():
            _nodes(child, child_path(path, str(child_key)), found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _nodes(child, f"{path}[{index}]", found)
