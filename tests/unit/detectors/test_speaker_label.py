"""PERSON from chat speaker labels: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.speaker_label import SPEAKER_LABEL
from tests.unit.detectors.conftest import found

CASES = [
    ('Ubul: What a wife.\nNicole: Remember me, Mary?\nJohn: You saved my life!', None,
     ['Ubul', 'Nicole', 'John']),
    ('Vsevolod: "Who are you?"\nHeather:"I\'m Daniel\'s daughter".', None,
     ['Vsevolod', 'Heather']),
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
