"""Whether a digit string is numbered as a card of a real scheme: its issuer identification
number (the leading digits, ISO/IEC 7812) and its length together, as the schemes publish them.

A loose prefix check (`4`, `5[1-5]`, `2[2-7]`, `3`, `6`) accepts about four in ten random
16-digit strings; this table about one in four, and only at lengths the scheme issues. Used
where digits were put together from pieces (`detectors/split_items.py`), where the Luhn check
alone passes one random run in ten.
"""

from __future__ import annotations

# (lowest prefix, highest prefix, lengths): prefixes compared over as many leading digits as
# they have. Visa; Mastercard (51-55, 2221-2720); American Express; Diners Club (300-305,
# 3095, 36, 38-39); Discover (6011, 622126-622925, 644-649, 65); JCB (3528-3589); UnionPay
# (62); Maestro (its listed ranges); Mir (2200-2204).
_SCHEMES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),
    ("51", "55", frozenset({16})),
    ("2221", "2720", frozenset({16})),
    ("34", "34", frozenset({15})),
    ("37", "37", frozenset({15})),
    ("300", "305", frozenset(range(14, 20))),
    ("3095", "3095", frozenset(range(14, 20))),
    ("36", "36", frozenset(range(14, 20))),
    ("38", "39", frozenset(range(14, 20))),
    ("6011", "6011", frozenset(range(16, 20))),
    ("622126", "622925", frozenset(range(16, 20))),
    ("644", "649", frozenset(range(16, 20))),
    ("65", "65", frozenset(range(16, 20))),
    ("3528", "3589", frozenset(range(16, 20))),
    ("62", "62", frozenset(range(16, 20))),
    ("5018", "5018", frozenset(range(12, 20))),
    ("5020", "5020", frozenset(range(12, 20))),
    ("5038", "5038", frozenset(range(12, 20))),
    ("5893", "5893", frozenset(range(12, 20))),
    ("6304", "6304", frozenset(range(12, 20))),
    ("6759", "6759", frozenset(range(12, 20))),
    ("6761", "6763", frozenset(range(12, 20))),
    ("2200", "2204", frozenset(range(16, 20))),
)


def issued_card(digits: str) -> bool:
    """Whether `digits` (the card number's digits only) start with a scheme's issuer range and
    have a length that scheme issues."""
    return any(len(digits) in lengths and low <= digits[:len(low)] <= high
               for low, high, lengths in _SCHEMES)


def issuer_prefixes(length: int) -> frozenset[str]:
    """Every issuer prefix of the schemes that issue cards of `length` digits (a range written
    out: `6761`, `6762`, `6763`)."""
    return frozenset(str(prefix).zfill(len(low)) for low, high, lengths in _SCHEMES
                     if length in lengths for prefix in range(int(low), int(high) + 1))
