"""PERSON (a known given name alone): what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.person_name import PERSON_GIVEN_NAME
from tests.unit.detectors.conftest import found

CASES = [
    ('They invited Teresa and Derek.', None, ['Teresa', 'Derek']),
    ('escalated by Margaret', None, ['Margaret']),
    ('Will retry in May', None, []),
    ('My account In review', None, []),
    ('status=Pending user_id=Sandra_1', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PERSON_GIVEN_NAME, text, key) == expected
