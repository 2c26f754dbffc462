"""CREDIT_CARD_SHORT: 12-digit (Maestro) card numbers, only after a card's name and with a
valid Luhn check digit."""

import pytest

from detectors.patterns.credit_card import CREDIT_CARD_SHORT
from tests.unit.detectors.conftest import found

CASES = [
    ('Is card 501800000009 still blocked?', None, ['501800000009']),
    ('cc 676200000005 was charged twice', None, ['676200000005']),
    ('please unblock my card # 5038 0000 1235 today', None,
     ['5038 0000 1235']),
    ('Maestro: 6304-0000-4564', None, ['6304-0000-4564']),
    ('630400004564', 'card_number', ['630400004564']),
    # the check digit is wrong, no card's name before it, or too far before it
    ('Is card 501800000008 still blocked?', None, []),
    ('order 501800000009 shipped', None, []),
    ('the card was declined; later the order id 501800000009 was shipped', None, []),
    ('account 501800000009', None, []),
    ('card 5018000000091', None, []),
    ('card 4111 1111 1111 1111 exp', None, []),
    ('card 5038 0000-1235', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CREDIT_CARD_SHORT, text, key) == expected
