"""Object keys that hold a sensitive value (`{"123-45-6789": {...}}`) are replaced by a
placeholder, `[REDACTED:US_SSN#3]` (the entity and the key's position in its object), and every
path under such a key is rewritten to go through the placeholder, so that neither the released
output nor any recorded path (redactions, audit findings) carries the key's raw text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from detectors.finding import Finding
from detectors.walker import ROOT, child_path, index_path


def placeholder_keys(output: Any, findings: list[Finding],
                     sensitive: Callable[[Finding], bool]) -> tuple[Any, list[Finding]]:
    """`output` with the keys of the `sensitive` key findings replaced, and `findings` with
    their paths rewritten to match; unchanged when there is no such key."""
    hidden = {}
    for finding in sorted(findings, key=lambda f: (f.path, f.start)):
        if finding.on_key and finding.path not in hidden and sensitive(finding):
            hidden[finding.path] = finding.entity
    if not hidden:
        return output, findings
    moved: dict[str, str] = {}
    renamed = _rename(output, ROOT, ROOT, hidden, moved)
    return renamed, [f.model_copy(update={"path": moved.get(f.path, f.path)}) for f in findings]


def _rename(value: Any, old: str, new: str, hidden: dict[str, str],
            moved: dict[str, str]) -> Any:
    if old != new:
        moved[old] = new
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for index, (key, child) in enumerate(value.items()):
            old_child = child_path(old, str(key))
            entity = hidden.get(old_child)
            name = f"[REDACTED:{entity}#{index}]" if entity is not None else key
            out[name] = _rename(child, old_child, child_path(new, str(name)), hidden, moved)
        return out
    if isinstance(value, list):
        return [_rename(child, index_path(old, i), index_path(new, i), hidden, moved)
                for i, child in enumerate(value)]
    return value
