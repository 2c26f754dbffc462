"""Control over what detectors report, in the policy: allow lists, deny lists, custom patterns.

- `allow`: findings to drop before any rule sees them (a known test key, the company's own
  support address, order numbers that look like phone numbers), by exact value or by pattern,
  optionally only for some entity types and JSON paths.
- `deny`: terms that are always sensitive (project code names, internal host names), reported
  as their own entity wherever they occur.
- `patterns`: custom entities found by a regular expression, with context words and a
  validator, like presidio's ad-hoc recognizers.

All of it is part of the policy's content, so it is in the snapshot hash, and `policy check` /
`policy explain` show it. Patterns are checked once, here: RE2's subset, no nested unbounded
repetition (see `policies.regex_check`).
"""

from __future__ import annotations

import enum
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field, field_validator, model_validator

from policies.base import EntityName, Identifier, Probability, Strict
from policies.regex_check import pattern_problem

MAX_LIST_ENTRIES = 10_000


def _known_regions(regions: tuple[str, ...]) -> tuple[str, ...]:
    unknown = sorted(set(regions) - phonenumbers.SUPPORTED_REGIONS)
    if unknown:
        raise ValueError(f"not a region libphonenumber knows (ISO 3166-1 alpha-2): "
                         f"{', '.join(unknown)}")
    return regions


# The regions whose national formats phone numbers are read in (`phone-number-regions`), in
# order; numbers written with `+` or `00` are read in any region.
PhoneRegions = Annotated[tuple[str, ...], Field(min_length=1, max_length=300),
                         AfterValidator(_known_regions)]


def _patterns_linear(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        problem = pattern_problem(pattern)
        if problem is not None:
            raise ValueError(f"pattern {pattern!r}: {problem}")
    return patterns


class AllowEntry(Strict):
    """Findings whose value is one of `values` or fully matches one of `patterns` are dropped,
    when the finding's entity is in `entities` (empty: any) and its path matches `paths`
    (globs; empty: any)."""

    id: Identifier
    values: tuple[str, ...] = Field(default=(), max_length=MAX_LIST_ENTRIES)
    patterns: tuple[str, ...] = Field(default=(), max_length=100)
    entities: tuple[EntityName, ...] = ()
    paths: tuple[str, ...] = ()
    ignore_case: bool = False
    reason: str = Field(min_length=1)

    _linear = field_validator("patterns")(_patterns_linear)

    @model_validator(mode="after")
    def _something_to_allow(self) -> AllowEntry:
        if not self.values and not self.patterns:
            raise ValueError("an allow entry needs values or patterns")
        if any(not v for v in self.values):
            raise ValueError("an allowed value may not be empty")
        return self


class DenyEntry(Strict):
    """Terms that are always sensitive, reported as `entity` wherever they occur (as whole
    words unless `whole_words` is false)."""

    id: Identifier
    entity: EntityName = "DENY_LIST"
    terms: tuple[str, ...] = Field(min_length=1, max_length=MAX_LIST_ENTRIES)
    ignore_case: bool = True
    whole_words: bool = True
    score: Probability = 1.0
    reason: str = Field(min_length=1)

    @field_validator("terms")
    @classmethod
    def _terms_not_blank(cls, terms: tuple[str, ...]) -> tuple[str, ...]:
        if any(not t.strip() for t in terms):
            raise ValueError("a deny term may not be blank")
        return terms


class Validator(str, enum.Enum):
    """The last check on a custom pattern's match."""

    NONE = "none"
    LUHN = "luhn"          # card-like numbers: the Luhn checksum holds
    ENTROPY = "entropy"    # secret-like values: long and varied enough (as `looks_random`)
    DIGITS = "digits"      # at least one digit (an ID, not a word)


class CustomPattern(Strict):
    """A custom entity: `regex` (group 1 if it has groups, else the whole match), reported with
    `score`, raised by `context_boost` when one of `context` occurs within `context_window`
    characters before the match (or the JSON key holds one); with `requires_context`, only
    then."""

    id: Identifier
    entity: EntityName
    regex: str = Field(min_length=1)
    context: tuple[str, ...] = ()
    context_window: int = Field(default=60, ge=1, le=1000)
    requires_context: bool = False
    score: Probability = 0.6
    context_boost: Probability = 0.25
    validator: Validator = Validator.NONE
    reason: str = Field(min_length=1)

    @field_validator("regex")
    @classmethod
    def _regex_linear(cls, regex: str) -> str:
        _patterns_linear((regex,))
        return regex

    @model_validator(mode="after")
    def _context_given(self) -> CustomPattern:
        if self.requires_context and not self.context:
            raise ValueError("requires_context needs context words")
        return self
