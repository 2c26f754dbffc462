"""Validation hooks shared by several pattern detectors: checksums and entropy."""

from __future__ import annotations

import math
from collections import Counter


def luhn_valid(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if not 12 <= len(digits) <= 19:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def shannon_entropy(value: str) -> float:
    """Bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def looks_random(value: str, min_length: int = 8, min_entropy: float = 3.0) -> bool:
    """A secret-like value: long enough, varied enough, and not an obvious placeholder."""
    if len(value) < min_length:
        return False
    lowered = value.lower()
    placeholders = ("xxxx", "****", "<", "${", "{{", "changeme", "example", "redacted", "dummy")
    if any(mark in lowered for mark in placeholders):
        return False
    return shannon_entropy(value) >= min_entropy
