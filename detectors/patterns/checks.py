"""Validation hooks shared by several pattern detectors: checksums and entropy."""

from __future__ import annotations

import math
from collections import Counter


# Every ASCII byte that is not a digit: deleted from an ASCII text's bytes, its digits stay.
_NOT_ASCII_DIGITS = bytes(b for b in range(128) if not 0x30 <= b <= 0x39)
# A digit doubled, less 9 when over 9 (the Luhn check's every other digit), as ASCII bytes
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def ascii_digits(value: str) -> bytes | None:
    """The digits of an ASCII `value`, in order, as ASCII bytes (one pass in C: the other
    bytes deleted); None for any other text (whose digits may be of any script)."""
    if not value.isascii():
        return None
    return value.encode("ascii").translate(None, _NOT_ASCII_DIGITS)


def luhn_valid(value: str) -> bool:
    digits_ascii = ascii_digits(value)
    if digits_ascii is not None:
        if not 12 <= len(digits_ascii) <= 19:
            return False
        backwards = digits_ascii[::-1]
        # byte values are digits + 48: the sum of the digits, the odd positions doubled
        total = sum(backwards[::2]) + sum(backwards[1::2].translate(_DOUBLED))
        return (total - 48 * len(backwards)) % 10 == 0
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
