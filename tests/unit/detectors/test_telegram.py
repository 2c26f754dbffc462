"""TELEGRAM_BOT_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.telegram import TELEGRAM_BOT_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('TELEGRAM_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1', None, ['123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1']),
    ('https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1/sendMessage', None, ['123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1']),
    ('clm12345:AgencyIdentificationCodeContentType', None, []),
    ('1234:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(TELEGRAM_BOT_TOKEN, text, key) == expected
