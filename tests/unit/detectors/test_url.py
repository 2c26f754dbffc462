"""URL: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.url import URL
from tests.unit.detectors.conftest import found

CASES = [
    ('see https://intranet.example.com/page?id=1.', None, ['https://intranet.example.com/page?id=1']),
    ('www.shop.de', None, ['www.shop.de']),
    ('acme.com', None, ['acme.com']),
    ('run setup.py', None, []),
    ('mail bob@acme.com', None, [])  # the email detector's,
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(URL, text, key) == expected
