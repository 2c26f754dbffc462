"""PERSON (full name with evidence): what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.person_name import PERSON_FULL_NAME
from tests.unit.detectors.conftest import found

CASES = [
    ('ticket assigned to Ingrid Lövgren today', None, ['Ingrid Lövgren']),
    ('Reviewed by Nora K. Whitcombe', None, ['Nora K. Whitcombe']),
    ('Dear Anna Kowalczyk,', None, ['Anna Kowalczyk']),
    ('signed by Rustem B Kozhevin', None, ['Rustem B Kozhevin']),
    ('Grant Thornton Inc audited it', None, []),
    ('Entertainment Weekly listed it', None, []),
    ('Plan B Options', None, []),
    ('Deploy Kafka Streams now', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PERSON_FULL_NAME, text, key) == expected
