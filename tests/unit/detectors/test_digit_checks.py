"""The card and SSN checks read an ASCII value's digits in one pass in C (`ascii_digits`); they
must answer as the digit-by-digit checks they replaced, on any text (a value of other scripts
still goes digit by digit, a digit `int` cannot read still raises)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.patterns.checks import ascii_digits, luhn_valid
from detectors.patterns.us_ssn import plausible_ssn


def _luhn_digit_by_digit(value: str) -> bool:
    """Luhn as the schemes state it: every second digit from the right doubled, then the
    digits of it all summed."""
    digits = [int(c) for c in value if c.isdigit()]
    if not 12 <= len(digits) <= 19:
        return False
    written = "".join(str(d * 2 if i % 2 else d) for i, d in enumerate(reversed(digits)))
    return sum(int(c) for c in written) % 10 == 0


def _ssn_digit_by_digit(value: str) -> bool:
    digits = "".join(c for c in value if c.isdigit())
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000":
        return False
    return len(set(digits)) > 1 and digits not in ("123456789", "078051120")


def _answer(check: object, value: str) -> object:
    try:
        return check(value)  # type: ignore[operator]
    except ValueError as exc:  # `int('²')`
        return ("raised", type(exc))


# Card and SSN shapes, with their separators, other characters and digits of other scripts
VALUES = (st.lists(st.sampled_from("0123456789 -.\t/x"), max_size=24).map("".join)
          | st.lists(st.sampled_from("0123456789-٣²é"), max_size=20).map("".join)
          | st.text(max_size=24)
          | st.sampled_from(["4111 1111 1111 1111", "5500-0000-0000-0004", "219-09-9999",
                             "078-05-1120", "123-45-6789", "666-12-3456", "000000000", ""]))


@settings(max_examples=3000, deadline=None)
@given(VALUES)
def test_the_checks_answer_as_digit_by_digit(value: str) -> None:
    assert _answer(luhn_valid, value) == _answer(_luhn_digit_by_digit, value)
    assert _answer(plausible_ssn, value) == _answer(_ssn_digit_by_digit, value)


def test_valid_and_invalid_numbers_are_told_apart() -> None:
    assert luhn_valid("4111 1111 1111 1111") and not luhn_valid("4111 1111 1111 1112")
    assert plausible_ssn("219-09-9999") and not plausible_ssn("666-09-9999")
    assert ascii_digits("4111-11 x1") == b"4111111" and ascii_digits("٣12") is None
