"""POSTCODE_FORMATS: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.postcode_formats import POSTCODE_FORMATS
from tests.unit.detectors.conftest import found

CASES = [
    ('PSČ: 602 00 Brno', None, ['602 00']),
    ('postcode 3512 JK Utrecht', None, ['3512 JK']),
    ('kod pocztowy 31-072', None, ['31-072']),
    ('Código postal: 1100-148 Lisboa', None, ['1100-148']),
    ('my zip is 101', None, ['101']),
    ('〒150-0043', None, ['150-0043']),
    ('Delivery', 'postal_code', []),
    ('4051', 'postal_code', ['4051']),
    # no postcode's name before it
    ('order 602 00 shipped', None, []),
    ('room 3512 JK', None, []),
    ('ZIP archive of 3 files, 12 MB', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(POSTCODE_FORMATS, text, key) == expected
