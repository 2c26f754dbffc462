"""The policy's allow lists applied to findings: those they cover never reach a rule.

A finding's value is read from the output at its path and span (findings never carry values).
Values longer than `MAX_ALLOWED_VALUE` are never allowed: an allow pattern runs only on short
strings, and a long value is not a known test key or a support address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from detectors.finding import Finding
from detectors.walker import string_leaves
from policies.glob import any_glob
from policies.sections.detection_lists import AllowEntry

MAX_ALLOWED_VALUE = 1000


@dataclass(frozen=True)
class AllowedFinding:
    """A finding an allow list dropped, and the entry that dropped it."""

    finding: Finding
    allow_id: str


@lru_cache(maxsize=1024)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


@lru_cache(maxsize=256)
def _folded(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.casefold() for v in values)


def covers(entry: AllowEntry, finding: Finding, value: str) -> bool:
    if entry.entities and finding.entity not in entry.entities:
        return False
    if entry.paths and not any_glob(entry.paths, finding.path):
        return False
    if len(value) > MAX_ALLOWED_VALUE:
        return False
    if entry.ignore_case:
        if value.casefold() in _folded(entry.values):
            return True
    elif value in entry.values:
        return True
    return any(_compiled(p, entry.ignore_case).fullmatch(value) for p in entry.patterns)


def split_allowed(findings: Sequence[Finding], output: Any, allow: Sequence[AllowEntry],
                  ) -> tuple[list[Finding], tuple[AllowedFinding, ...]]:
    """The findings no allow entry covers, and the ones it does (with the entry's id)."""
    if not allow or not findings:
        return list(findings), ()
    texts = {leaf.path: leaf.text for leaf in string_leaves(output)}
    kept: list[Finding] = []
    allowed: list[AllowedFinding] = []
    for finding in findings:
        text = texts.get(finding.path)
        value = text[finding.start:finding.end] if text is not None else None
        entry = next((e for e in allow if value is not None and covers(e, finding, value)), None)
        if entry is None:
            kept.append(finding)
        else:
            allowed.append(AllowedFinding(finding, entry.id))
    return kept, tuple(allowed)
