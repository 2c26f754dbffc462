"""The detectors a policy adds: its deny lists and its custom patterns, as pattern detectors.

Their ids say where they come from (`policy-deny:<id>`, `policy-pattern:<id>`), so `policy
explain` and the audit trail name the policy entry behind a finding.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import looks_random, luhn_valid
from detectors.patterns.phone_number_regions import PhoneNumberRegionsDetector
from detectors.registry import DEFAULT_DETECTORS
from policies.model import Policy
from policies.sections.detection_lists import CustomPattern, DenyEntry, Validator

VALIDATORS: dict[Validator, Callable[[str], bool] | None] = {
    Validator.NONE: None,
    Validator.LUHN: luhn_valid,
    Validator.ENTROPY: looks_random,
    Validator.DIGITS: lambda value: any(c.isdigit() for c in value),
}


def _term(term: str, whole_words: bool) -> str:
    """A term as a regex; `\\b` only on a side where the term starts or ends with a word
    character (a term such as `.corp.internal` has no word boundary before it)."""
    escaped = re.escape(term)
    if not whole_words:
        return escaped
    before = r"\b" if re.match(r"\w", term) else ""
    after = r"\b" if re.search(r"\w\Z", term) else ""
    return before + escaped + after


def deny_detector(entry: DenyEntry) -> PatternDetector:
    terms = sorted(set(entry.terms), key=len, reverse=True)  # the longest term wins at a place
    body = "|".join(_term(t, entry.whole_words) for t in terms)
    flags = "(?i)" if entry.ignore_case else ""
    return PatternDetector(
        id=f"policy-deny:{entry.id}", entity=entry.entity, pattern=LinearRegex(flags + body),
        score=entry.score, keywords=tuple(sorted({t.lower() for t in terms})),
    )


def pattern_detector(entry: CustomPattern) -> PatternDetector:
    pattern = LinearRegex(entry.regex)  # RE2: linear time (checked at load, regex_check)
    context = tuple(w.lower() for w in entry.context)
    return PatternDetector(
        id=f"policy-pattern:{entry.id}", entity=entry.entity, pattern=pattern,
        score=entry.score, context_keys=context, context_words=context,
        context_window=entry.context_window, requires_context=entry.requires_context,
        context_boost=entry.context_boost, validate=VALIDATORS[entry.validator],
        group=1 if pattern.groups else 0,
    )


def engine_detectors(policy: Policy) -> tuple[PatternDetector, ...]:
    """Every detector an engine for this policy runs: the registered ones (phone numbers read
    in the policy's `phone_regions`, when it names them) and the policy's own."""
    regions = policy.detection.phone_regions
    defaults = tuple(
        dataclasses.replace(d, regions=regions)
        if regions is not None and isinstance(d, PhoneNumberRegionsDetector) else d
        for d in DEFAULT_DETECTORS)
    return defaults + policy_detectors(policy)


def policy_detectors(policy: Policy) -> tuple[PatternDetector, ...]:
    """The policy's own detectors, deny lists first, in file order."""
    return (tuple(deny_detector(d) for d in policy.detection.deny)
            + tuple(pattern_detector(p) for p in policy.detection.patterns))
