"""PERSON from chat speaker labels: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.speaker_label import SPEAKER_LABEL
from tests.unit.detectors.conftest import found

CASES = [
    ('Ottokar: The van is late.\nNicole: Call the depot, Mary?\nJohn: Already did!', None,
     ['Ottokar', 'Nicole', 'John']),
    ('Radoslav: "Is the parcel here?"\nMaureen:"It came on Monday".', None,
     ['Radoslav', 'Maureen']),
    ('Anna Berg: hi\nAgent: how can I help?', None, ['Anna Berg']),
    ('Nicole: a single line is not a transcript', None, []),
    ('Agent: hello\nCustomer: hi', None, []),
    ('Subject: hi\nDate: Monday\nFrom: x', None, []),
    ('Host: example.com\nAccept: */*', None, []),
    ('ERROR: boom\nWARN: disk', None, []),
    ('Ivan: 12\nOlga: 14', None, ['Ivan', 'Olga']),
    ('Ivan:12\nOlga:14', None, []),
    ('Region: eu\nCluster: main', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SPEAKER_LABEL, text, key) == expected
