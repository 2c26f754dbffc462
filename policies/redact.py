"""Apply redaction operators to a JSON value; the output keeps its shape."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from detectors.walker import ROOT, child_path, index_path
from policies.model import Drop, Hash, Mask, Operator, Remove, Replace

REMOVED = object()


@dataclass(frozen=True)
class HashKey:
    """The key for keyed-hash tokens and finding fingerprints; only `key_id` ever leaves."""

    key_id: str
    secret: bytes

    @staticmethod
    def from_secret(secret: bytes) -> HashKey:
        return HashKey(hashlib.sha256(secret).hexdigest()[:8], secret)

    def token(self, value: str, length: int = 16) -> str:
        return hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()[:length]


@dataclass(frozen=True)
class SpanEdit:
    """Redact characters `start:end` of the string at `path` with `operator`."""

    path: str
    start: int
    end: int
    entity: str
    operator: Operator


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
    """Apply span edits to one string; overlapping spans are merged under the first's operator."""
    merged: list[SpanEdit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if merged and edit.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = SpanEdit(last.path, last.start, max(last.end, edit.end), last.entity,
                                  last.operator)
        else:
            merged.append(edit)
    for edit in reversed(merged):
        text = text[: edit.start] + _render(text[edit.start: edit.end], edit, key) + text[edit.end:]
    return text


def whole_value_operator(operators: list[Operator]) -> Remove | Drop | None:
    """Remove beats drop; span operators leave the value in place."""
    if any(isinstance(op, Remove) for op in operators):
        return Remove()
    if any(isinstance(op, Drop) for op in operators):
        return Drop()
    return None


def apply(value: Any, spans: dict[str, list[SpanEdit]], whole: dict[str, Remove | Drop],
          key: HashKey, path: str = ROOT) -> Any:
    """A copy of `value` with span edits and whole-value removals applied, by path."""
    op = whole.get(path)
    if isinstance(op, Remove):
        return REMOVED if path != ROOT else "[REDACTED]"
    if isinstance(op, Drop):
        return "[REDACTED]"
    if isinstance(value, str):
        edits = spans.get(path)
        return redact_string(value, edits, key) if edits else value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for child_key, child in value.items():
            new = apply(child, spans, whole, key, child_path(path, str(child_key)))
            if new is not REMOVED:
                out[child_key] = new
        return out
    if isinstance(value, list):
        items = [apply(child, spans, whole, key, index_path(path, i)) for i, child in enumerate(value)]
        return [item for item in items if item is not REMOVED]
    return value


def is_span_operator(op: Operator) -> bool:
    return isinstance(op, Replace | Mask | Hash)
