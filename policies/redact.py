"""Apply redaction operators to a JSON value; the output keeps its shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from detectors.walker import ROOT, child_path, index_path, number_text
from policies.key_id import derive_key_id
from policies.keyed_hash import KeyedSha256
from policies.operators import Drop, Hash, Mask, Remove, Replace, SpanOperator, WholeOperator

REDACTED = "[REDACTED]"
_REMOVED = object()
_SET = object.__setattr__
_REMOVE, _DROP = Remove(), Drop()
_CONTAINERS = (dict, list)  # frozen: one of each for every whole-value edit
_NUMBERS = (int, float)  # a tuple: `isinstance` with a `|` union builds the union per call


@dataclass(frozen=True)
class HashKey:
    """The key for keyed-hash tokens and finding fingerprints; only `key_id` ever leaves."""

    key_id: str
    secret: bytes = field(repr=False)  # never in a repr, a log line or an error message
    # HMAC-SHA256 keyed once (keying costs more than the value here)
    keyed: KeyedSha256 = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keyed", KeyedSha256(self.secret))

    @staticmethod
    def from_secret(secret: bytes) -> HashKey:
        """The published id is derived with HKDF (policies.key_id), not a hash of the secret."""
        return HashKey(derive_key_id(secret, "hash-key"), secret)

    def token(self, value: str, length: int = 16) -> str:
        return self.keyed.hexdigest(value.encode())[:length]


@dataclass(frozen=True)
class SpanEdit:
    """Redact characters `start:end` of the string at `path` with `operator`."""

    path: str
    start: int
    end: int
    entity: str
    operator: SpanOperator

    def __init__(self, path: str, start: int, end: int, entity: str,
                 operator: SpanOperator) -> None:
        # the dataclass's own, written out: the generated one is not compiled (one per
        # finding); its fields set in one step, as the instance's dict in their order
        _SET(self, "__dict__", {"path": path, "start": start, "end": end, "entity": entity,
                                "operator": operator})


def _strength(op: SpanOperator) -> int:
    """How little an operator reveals: a mask shows characters, a hash a token, replace nothing."""
    return {Mask: 0, Hash: 1, Replace: 2}[type(op)]


def _render(value: str, edit: SpanEdit, key: HashKey) -> str:
    op = edit.operator
    if isinstance(op, Mask):
        keep = min(op.keep_last, len(value) // 2)
        masked = "".join(op.char if c.isalnum() else c for c in value[: len(value) - keep])
        return masked + value[len(value) - keep:]
    if isinstance(op, Hash):
        return f"[HASH:{key.key_id}:{key.token(value, op.length)}]"
    return f"[REDACTED:{edit.entity}]"


def redact_string(text: str, edits: list[SpanEdit], key: HashKey) -> str:
    """Apply span edits to one string. Overlapping spans merge into one, redacted by the operator
    that reveals least (a mask never shows the tail of a value another rule replaces)."""
    if len(edits) == 1:  # most strings: what the loops below give for one edit
        edit = edits[0]
        return text[:edit.start] + _render(text[edit.start:edit.end], edit, key) + text[edit.end:]
    merged: list[SpanEdit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if merged and edit.start < merged[-1].end:
            last = merged[-1]
            strongest = max(last, edit, key=lambda e: _strength(e.operator))
            merged[-1] = SpanEdit(last.path, last.start, max(last.end, edit.end),
                                  strongest.entity, strongest.operator)
        else:
            merged.append(edit)
    pieces: list[str] = []
    done = 0
    for edit in merged:  # one pass: a string with many findings costs its length, not more
        pieces += (text[done:edit.start], _render(text[edit.start:edit.end], edit, key))
        done = edit.end
    pieces.append(text[done:])
    return "".join(pieces)


def whole_value_operator(operators: list[WholeOperator]) -> WholeOperator:
    """Remove beats drop."""
    return _REMOVE if any(isinstance(op, Remove) for op in operators) else _DROP


def apply(value: Any, spans: dict[str, list[SpanEdit]], whole: dict[str, WholeOperator],
          key: HashKey, path: str = ROOT) -> Any:
    """A copy of `value` with span edits and whole-value operators applied, by path.

    A removed object key disappears; a removed list item becomes null so that the indices, and
    the paths recorded for every other redaction, stay true; a removed root becomes `[REDACTED]`.
    An object or list with no edit at or below it is kept as it is, not copied.
    """
    return _apply(value, spans, whole, key, path, tuple({**spans, **whole}))


def _apply(value: Any, spans: dict[str, list[SpanEdit]], whole: dict[str, WholeOperator],
           key: HashKey, path: str, edited: tuple[str, ...]) -> Any:
    op = whole.get(path)
    if isinstance(op, Remove):
        return _REMOVED if path != ROOT else REDACTED
    if isinstance(op, Drop):
        return REDACTED
    if isinstance(value, str):
        edits = spans.get(path)
        return redact_string(value, edits, key) if edits else value
    if isinstance(value, _NUMBERS) and not isinstance(value, bool):
        edits = spans.get(path)  # found in its decimal text: the number becomes a string
        return redact_string(number_text(value), edits, key) if edits else value
    if isinstance(value, dict):
        if not _edited_below(path, edited):
            return value
        out: dict[str, Any] = {}
        for child_key, child in value.items():
            at = child_path(path, str(child_key))
            if at in spans or at in whole or isinstance(child, _CONTAINERS):
                new = _apply(child, spans, whole, key, at, edited)
                if new is not _REMOVED:
                    out[child_key] = new
            else:  # a value with no edit of its own: `_apply` would give it back
                out[child_key] = child
        return out
    if isinstance(value, list):
        if not _edited_below(path, edited):
            return value
        items = [_apply(child, spans, whole, key, index_path(path, i), edited)
                 for i, child in enumerate(value)]
        return [None if item is _REMOVED else item for item in items]
    return value


def _edited_below(path: str, edited: tuple[str, ...]) -> bool:
    """Whether an edited path lies below `path`: every path below it starts with `path.` or
    `path[` (detectors.walker: a key that is not a plain identifier is quoted in brackets), and
    every path lies below the root."""
    if path == ROOT:
        return bool(edited)
    length = len(path)
    for edit in edited:
        if len(edit) > length and edit[length] in ".[" and edit.startswith(path):
            return True
    return False
