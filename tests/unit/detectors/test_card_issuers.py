"""A card number put together from pieces counts only with a real scheme's issuer range and a
length that scheme issues (detectors/card_issuers.py)."""

from __future__ import annotations

import pytest

from detectors.card_issuers import issued_card


@pytest.mark.parametrize(("digits", "issued"), [
    ("4" + "1" * 15, True),          # Visa, 16
    ("4" + "1" * 12, True),          # Visa, 13
    ("4" + "1" * 13, False),         # Visa does not issue 14 digits
    ("5" + "3" * 15, True),          # Mastercard 51-55
    ("2221" + "0" * 12, True),       # Mastercard 2221-2720
    ("2721" + "0" * 12, False),
    ("2019" + "0" * 12, False),      # a year first: no scheme
    ("37" + "0" * 13, True),         # American Express, 15
    ("37" + "0" * 14, False),        # ... never 16
    ("6011" + "0" * 12, True),       # Discover
    ("6100" + "0" * 12, False),      # 61: no scheme
    ("3530" + "0" * 12, True),       # JCB
    ("3500" + "0" * 12, False),
    ("1234" + "0" * 12, False),
    ("9" * 16, False),
])
def test_issuer_range_and_length(digits: str, issued: bool) -> None:
    assert issued_card(digits) is issued
