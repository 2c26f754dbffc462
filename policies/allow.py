"""The policy's allow lists applied to findings: those they cover never reach a rule.

A finding's value is read from the output at its path and span (findings never carry values).
An allowed value covers a finding whose value it is, and a finding that lies inside an
occurrence of it in the text, where any run of blanks, line breaks and commas between words is
one separator: the company's own postal address, allowed as `12 Harbour Road, Leith, Edinburgh
EH6 6LY`, is written over several lines too, and detectors may report it in pieces
(`12 Harbour Road`, `Leith\nEdinburgh EH6 6LY`), each a part of the value the policy allows.
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


_SEPARATOR = re.compile(r"[\s,]+")


def _words(value: str) -> list[str]:
    return [part for part in _SEPARATOR.split(value) if part]


@lru_cache(maxsize=1024)
def _written(value: str, ignore_case: bool) -> re.Pattern[str]:
    """`value` as it may be written: any run of blanks, line breaks and commas between its
    words."""
    return re.compile(r"[\s,]+".join(re.escape(part) for part in _words(value)),
                      re.IGNORECASE if ignore_case else 0)


def _one_spaced(text: str, ignore_case: bool) -> str:
    spaced = " ".join(_words(text))
    return spaced.casefold() if ignore_case else spaced


def _inside_an_allowed_value(entry: AllowEntry, value: str, text: str, start: int,
                             end: int) -> bool:
    """Whether an occurrence of one of the entry's values in `text` spans [start, end)."""
    part = _one_spaced(value, entry.ignore_case)
    if not part:
        return False
    for allowed in entry.values:
        if len(allowed) > MAX_ALLOWED_VALUE or part not in _one_spaced(allowed, entry.ignore_case):
            continue
        reach = 2 * len(allowed) + 16  # room for wider blanks than the value's own
        first = max(0, start - reach)
        for match in _written(allowed, entry.ignore_case).finditer(text, first, end + reach):
            if match.start() <= start and end <= match.end():
                return True
    return False


def covers(entry: AllowEntry, finding: Finding, value: str, text: str | None = None) -> bool:
    """Whether `entry` allows `finding`, whose value is `value` (in the leaf `text`, when given:
    then an allowed value around the finding covers it too)."""
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
    if any(_compiled(p, entry.ignore_case).fullmatch(value) for p in entry.patterns):
        return True
    return text is not None and _inside_an_allowed_value(entry, value, text, finding.start,
                                                         finding.end)


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
        entry = next((e for e in allow
                      if value is not None and covers(e, finding, value, text)), None)
        if entry is None:
            kept.append(finding)
        else:
            allowed.append(AllowedFinding(finding, entry.id))
    return kept, tuple(allowed)
