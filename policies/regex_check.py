"""Regular expressions a policy may hold: the RE2 subset, with no nested unbounded repetition.

A policy's custom patterns run over every string of every result, and an allow list's patterns
over every finding, so they must run in linear time. The subset RE2 accepts (no lookaround, no
backreferences, no possessive or atomic groups) is checked here with Python's own parser, and a
repetition inside another unbounded one (`(a+)+`, `(\\w*x)*`), which makes a backtracking
engine exponential, is refused as well. A refused pattern is a policy error naming the field.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import re2

from detectors.linear import LinearRegex

# The standard library's own regex parser (private modules, stable across 3.11 and 3.12).
_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

MAX_PATTERN_LENGTH = 1000
_REFUSED = {_c.ASSERT: "lookaround", _c.ASSERT_NOT: "lookaround",
            _c.GROUPREF: "a backreference", _c.GROUPREF_EXISTS: "a conditional group",
            _c.ATOMIC_GROUP: "an atomic group", _c.POSSESSIVE_REPEAT: "a possessive quantifier"}


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be used in a policy, or None when it can."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"a pattern may hold at most {MAX_PATTERN_LENGTH} characters"
    try:
        re.compile(pattern)
        parsed = _parser.parse(pattern)
    except re.error as exc:
        return f"not a regular expression: {exc}"
    if re.compile(pattern).match("") is not None:
        return "the pattern matches the empty string"
    problem = _walk(parsed, inside_unbounded=False)
    if problem is None:
        try:
            LinearRegex(pattern)  # what the detectors run it with
        except re2.error:
            return "RE2 cannot compile it (patterns must run in linear time)"
    return problem


def _walk(items: Any, inside_unbounded: bool) -> str | None:
    for op, av in items:
        if op in _REFUSED:
            return f"{_REFUSED[op]} is not allowed (patterns must run in linear time, as RE2)"
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            _low, high, body = av
            unbounded = high == _c.MAXREPEAT
            if unbounded and inside_unbounded:
                return ("a repetition inside an unbounded repetition is not allowed (it can "
                        "take exponential time)")
            if not unbounded and high > 1000:
                return "a bounded repetition may repeat at most 1000 times (as RE2)"
            problem = _walk(body, inside_unbounded or unbounded)
        elif op == _c.SUBPATTERN:
            problem = _walk(av[-1], inside_unbounded)
        elif op == _c.BRANCH:
            problem = next((p for p in (_walk(b, inside_unbounded) for b in av[1]) if p), None)
        else:
            problem = None
        if problem:
            return problem
    return None
