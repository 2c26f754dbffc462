"""PERSON after a weak cue (follow up with, customer): what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.person_cue import PERSON_AFTER_SOFT_CUE
from tests.unit.detectors.conftest import found

CASES = [
    ('Follow up with Teresa next week', None, ['Teresa']),
    ('please talk to Zuzana Novak', None, ['Zuzana Novak']),
    ('customer Xolani Smith called', None, ['Xolani Smith']),
    ('talk to Support about it', None, []),
    ('Hello World', None, []),
    ('follow up with Zuzana tomorrow', None, ['Zuzana']),  # a known given name (many countries)
    ('follow up with Xolani tomorrow', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PERSON_AFTER_SOFT_CUE, text, key) == expected
